using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ArtifactBuildTools.Tests.Reliability;

/// <summary>The faults <see cref="FaultProxy"/> can inject.</summary>
public enum FaultKind
{
    /// <summary>Answer with <see cref="FaultRule.Status"/> (500, 502, 503) without forwarding.</summary>
    Status,

    /// <summary>Answer 429 with <c>Retry-After: 1</c> without forwarding.</summary>
    TooManyRequests,

    /// <summary>Forward part of the request body (up to <see cref="FaultRule.At"/>), then reset both connections.</summary>
    DropRequestBody,

    /// <summary>Forward, send <see cref="FaultRule.At"/> bytes of the response body, then reset the connection.</summary>
    DropResponseBody,

    /// <summary>Forward, send <see cref="FaultRule.At"/> bytes of the response body without a length, end cleanly.</summary>
    TruncateResponse,

    /// <summary>Flip the bits of the response body byte at <see cref="FaultRule.At"/>.</summary>
    FlipResponseByte,

    /// <summary>Flip the bits of the request body byte at <see cref="FaultRule.At"/>.</summary>
    FlipRequestByte,

    /// <summary>Stop for <see cref="FaultRule.Stall"/> after <see cref="FaultRule.At"/> response body bytes.</summary>
    StallResponseBody,

    /// <summary>Stop for <see cref="FaultRule.Stall"/> before sending the response headers.</summary>
    StallBeforeHeaders,

    /// <summary>Forward the request (the registry does the work), then reset the connection before answering.</summary>
    DropResponse,
}

/// <summary>A scheduled fault: applies to the next <see cref="Times"/> requests that match.</summary>
public sealed class FaultRule
{
    private int _remaining;

    public FaultRule(string name, FaultKind kind, Func<HttpRequest, bool> match, int times = 1)
    {
        Name = name;
        Kind = kind;
        Match = match;
        _remaining = times;
    }

    public string Name { get; }

    public FaultKind Kind { get; }

    public Func<HttpRequest, bool> Match { get; }

    public int Status { get; init; } = 503;

    public long At { get; init; } = 1024;

    public TimeSpan Stall { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>How many times the fault fired.</summary>
    public int Injected { get; private set; }

    internal bool TryTake(HttpRequest request)
    {
        if (Volatile.Read(ref _remaining) <= 0 || !Match(request) || Interlocked.Decrement(ref _remaining) < 0)
        {
            return false;
        }

        Injected++;
        return true;
    }
}

/// <summary>
/// An in-process HTTP/1.1 reverse proxy (Kestrel on a free loopback port) in front of a real registry that injects
/// scheduled faults, optionally throttles bodies (so a test can kill a client mid-transfer), and counts body bytes.
/// The registry sees the proxy's host, so the upload locations it returns lead back through the proxy.
/// </summary>
public sealed class FaultProxy : IAsyncDisposable
{
    private static readonly HashSet<string> HopByHop = new(StringComparer.OrdinalIgnoreCase)
    {
        "Connection", "Keep-Alive", "Transfer-Encoding", "Upgrade", "Proxy-Connection", "TE", "Trailer",
    };

    private readonly WebApplication _app;
    private readonly HttpClient _upstream;
    private readonly Uri _target;
    private readonly ConcurrentQueue<FaultRule> _rules = new();
    private long _requestBytes;
    private long _responseBytes;

    private FaultProxy(WebApplication app, HttpClient upstream, Uri target, string host)
    {
        _app = app;
        _upstream = upstream;
        _target = target;
        Host = host;
    }

    /// <summary><c>127.0.0.1:PORT</c>.</summary>
    public string Host { get; }

    /// <summary>When set, request and response bodies move at about this many bytes per second.</summary>
    public long? BytesPerSecond { get; set; }

    public long RequestBodyBytes => Interlocked.Read(ref _requestBytes);

    public long ResponseBodyBytes => Interlocked.Read(ref _responseBytes);

    /// <summary>Requests seen, as "METHOD path".</summary>
    public ConcurrentQueue<string> Requests { get; } = new();

    public static async Task<FaultProxy> StartAsync(Uri target)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k =>
        {
            k.Listen(IPAddress.Loopback, 0);
            k.Limits.MaxRequestBodySize = null;
        });
        var app = builder.Build();
        var upstream = new HttpClient(new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseCookies = false,
            AutomaticDecompression = DecompressionMethods.None,
        })
        { Timeout = Timeout.InfiniteTimeSpan };
        FaultProxy? proxy = null;
        app.Run(context => proxy!.HandleAsync(context));
        await app.StartAsync();
        var address = new Uri(app.Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>()
            .Features.Get<IServerAddressesFeature>()!.Addresses.First());
        proxy = new FaultProxy(app, upstream, target, "127.0.0.1:" + address.Port.ToString(CultureInfo.InvariantCulture));
        return proxy;
    }

    /// <summary>Schedules a fault; rules are tried in the order added, one fault per request.</summary>
    public FaultRule Add(FaultRule rule)
    {
        _rules.Enqueue(rule);
        return rule;
    }

    public void ClearRules() => _rules.Clear();

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        _upstream.Dispose();
    }

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        Requests.Enqueue(request.Method + " " + request.Path + request.QueryString);
        var rule = _rules.FirstOrDefault(r => r.TryTake(request));
        var cancellationToken = context.RequestAborted;
        switch (rule?.Kind)
        {
            case FaultKind.Status:
                context.Response.StatusCode = rule.Status;
                return;
            case FaultKind.TooManyRequests:
                context.Response.StatusCode = 429;
                context.Response.Headers.RetryAfter = "1";
                return;
            case FaultKind.StallBeforeHeaders:
                await Task.Delay(rule.Stall, cancellationToken);
                break;
        }

        using var forward = new HttpRequestMessage(new HttpMethod(request.Method), new Uri(_target, request.Path + request.QueryString));
        forward.Headers.Host = request.Host.Value;
        var hasBody = request.ContentLength > 0 || request.Headers.TransferEncoding.Count > 0 || request.Method is "PUT" or "PATCH" or "POST";
        using var cutUpstream = new CancellationTokenSource();
        if (hasBody)
        {
            var body = new TapStream(request.Body, this, rule, cutUpstream);
            forward.Content = new StreamContent(body);
        }

        foreach (var header in request.Headers)
        {
            if (HopByHop.Contains(header.Key) || header.Key.Equals("Host", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            if (!forward.Headers.TryAddWithoutValidation(header.Key, header.Value.ToArray()) && forward.Content is not null)
            {
                forward.Content.Headers.TryAddWithoutValidation(header.Key, header.Value.ToArray());
            }
        }

        HttpResponseMessage response;
        try
        {
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, cutUpstream.Token);
            response = await _upstream.SendAsync(forward, HttpCompletionOption.ResponseHeadersRead, linked.Token);
        }
        catch (Exception) when (cutUpstream.IsCancellationRequested || cancellationToken.IsCancellationRequested)
        {
            context.Abort(); // the request body was cut on purpose, or the client went away
            return;
        }

        using (response)
        {
            if (rule?.Kind == FaultKind.DropResponse)
            {
                context.Abort();
                return;
            }

            context.Response.StatusCode = (int)response.StatusCode;
            foreach (var header in response.Headers.Concat(response.Content.Headers))
            {
                if (!HopByHop.Contains(header.Key))
                {
                    context.Response.Headers[header.Key] = header.Value.ToArray();
                }
            }

            if (rule?.Kind == FaultKind.TruncateResponse)
            {
                context.Response.Headers.ContentLength = null;
            }

            await CopyResponseAsync(await response.Content.ReadAsStreamAsync(cancellationToken), context, rule, cancellationToken);
        }
    }

    private async Task CopyResponseAsync(Stream source, HttpContext context, FaultRule? rule, CancellationToken cancellationToken)
    {
        if (HttpMethods.IsHead(context.Request.Method))
        {
            return;
        }

        var buffer = new byte[16 * 1024];
        long sent = 0;
        var stalled = false;
        int n;
        while ((n = await source.ReadAsync(buffer, cancellationToken)) > 0)
        {
            var chunk = buffer.AsMemory(0, n);
            if (rule is not null && sent + n > rule.At)
            {
                var cut = (int)(rule.At - sent);
                switch (rule.Kind)
                {
                    case FaultKind.DropResponseBody:
                        await context.Response.Body.WriteAsync(chunk[..cut], cancellationToken);
                        await context.Response.Body.FlushAsync(cancellationToken);
                        context.Abort();
                        return;
                    case FaultKind.TruncateResponse:
                        await context.Response.Body.WriteAsync(chunk[..cut], cancellationToken);
                        return;
                    case FaultKind.FlipResponseByte when cut >= 0:
                        chunk.Span[cut] ^= 0xFF;
                        rule = null;
                        break;
                    case FaultKind.StallResponseBody when !stalled:
                        await context.Response.Body.WriteAsync(chunk[..cut], cancellationToken);
                        await context.Response.Body.FlushAsync(cancellationToken);
                        await Task.Delay(rule.Stall, cancellationToken);
                        stalled = true;
                        chunk = chunk[cut..];
                        sent += cut;
                        break;
                }
            }

            await context.Response.Body.WriteAsync(chunk, cancellationToken);
            sent += chunk.Length;
            Interlocked.Add(ref _responseBytes, chunk.Length);
            await ThrottleAsync(chunk.Length, cancellationToken);
        }
    }

    private async Task ThrottleAsync(int bytes, CancellationToken cancellationToken)
    {
        if (BytesPerSecond is { } rate and > 0)
        {
            await Task.Delay(TimeSpan.FromSeconds((double)bytes / rate), cancellationToken);
        }
    }

    /// <summary>The request body on its way upstream: counted, throttled, and cut or flipped when a rule says so.</summary>
    private sealed class TapStream(Stream inner, FaultProxy proxy, FaultRule? rule, CancellationTokenSource cutUpstream) : Stream
    {
        private long _read;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => _read;
            set => throw new NotSupportedException();
        }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (rule?.Kind == FaultKind.DropRequestBody && _read >= rule.At)
            {
                await cutUpstream.CancelAsync();
                throw new IOException("fault injected: request body cut");
            }

            var max = rule?.Kind == FaultKind.DropRequestBody ? (int)Math.Min(buffer.Length, Math.Max(1, rule.At - _read)) : Math.Min(buffer.Length, 16 * 1024);
            var n = await inner.ReadAsync(buffer[..max], cancellationToken);
            if (rule?.Kind == FaultKind.FlipRequestByte && _read <= rule.At && rule.At < _read + n)
            {
                buffer.Span[(int)(rule.At - _read)] ^= 0xFF;
            }

            _read += n;
            Interlocked.Add(ref proxy._requestBytes, n);
            await proxy.ThrottleAsync(n, cancellationToken);
            return n;
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
