using System.Collections.Concurrent;
using System.Globalization;
using System.Net;

namespace ArtifactBuildTools.Tests.Fixtures;

/// <summary>
/// A tiny scripted HTTP server (System.Net.HttpListener) on a loopback host name of your choice, for behaviour a
/// real registry cannot show (redirects to another host, oversized manifests). Records every request's method,
/// path and headers.
/// </summary>
public sealed class LoopbackHttpServer : IDisposable
{
    private readonly HttpListener _listener;
    private readonly Func<HttpListenerContext, Task> _handler;
    private readonly Task _loop;

    private LoopbackHttpServer(HttpListener listener, string hostName, int port, Func<HttpListenerContext, Task> handler)
    {
        _listener = listener;
        _handler = handler;
        Host = hostName + ":" + port.ToString(CultureInfo.InvariantCulture);
        _loop = Task.Run(LoopAsync);
    }

    /// <summary><c>NAME:PORT</c>.</summary>
    public string Host { get; }

    public Uri BaseUri => new("http://" + Host + "/");

    /// <summary>Requests received, in order.</summary>
    public ConcurrentQueue<RecordedRequest> Requests { get; } = new();

    /// <summary>Starts on <paramref name="hostName"/> (e.g. <c>127.0.0.1</c> or <c>localhost</c>) and a free port.</summary>
    public static LoopbackHttpServer Start(string hostName, Func<HttpListenerContext, Task> handler)
    {
        for (var attempt = 0; ; attempt++)
        {
            var port = RegistryServer.FreePort();
            var listener = new HttpListener();
            listener.Prefixes.Add($"http://{hostName}:{port}/");
            try
            {
                listener.Start();
                return new LoopbackHttpServer(listener, hostName, port, handler);
            }
            catch (HttpListenerException) when (attempt < 5)
            {
                ((IDisposable)listener).Dispose();
            }
        }
    }

    public void Dispose()
    {
        // Close only: on Linux, Stop() then Close() unregisters the endpoint twice, and the second time re-binds the
        // port, failing with "Address already in use" when another server has taken it meanwhile.
        _listener.Close();
        try
        {
            _loop.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
        }
    }

    private async Task LoopAsync()
    {
        while (true)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync().ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            var headers = context.Request.Headers.AllKeys.Where(k => k is not null)
                .ToDictionary(k => k!, k => context.Request.Headers[k] ?? string.Empty, StringComparer.OrdinalIgnoreCase);
            Requests.Enqueue(new RecordedRequest(context.Request.HttpMethod, context.Request.Url?.PathAndQuery ?? string.Empty, headers));

            // Each request on its own task, as a real server answers: a handler that stalls one response must not
            // hold up the client's next request (a retry, or another file of a parallel transfer).
            _ = Task.Run(() => RespondAsync(context));
        }
    }

    private async Task RespondAsync(HttpListenerContext context)
    {
        try
        {
            await _handler(context).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is HttpListenerException or IOException or ObjectDisposedException)
        {
        }
        finally
        {
            try
            {
                context.Response.Close();
            }
            catch (Exception ex) when (ex is ObjectDisposedException or HttpListenerException or InvalidOperationException)
            {
            }
        }
    }
}

/// <summary>A request a <see cref="LoopbackHttpServer"/> received.</summary>
public sealed record RecordedRequest(string Method, string PathAndQuery, IReadOnlyDictionary<string, string> Headers);
