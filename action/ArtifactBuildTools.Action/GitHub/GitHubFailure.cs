using System.Globalization;
using System.Net;
using System.Text.Json;
using Refit;

namespace ArtifactBuildTools.Action.GitHub;

/// <summary>What an ABT7006 warning says went wrong: GitHub's own <c>message</c> for a refused call (it names the missing permission), else the error's.</summary>
internal static class GitHubFailure
{
    /// <summary>Enough of a message to act on; the rest of a long or odd body is dropped.</summary>
    private const int MaxMessage = 500;

    public static string Describe(Exception error) => Shorten(error switch
    {
        ApiException { StatusCode: >= HttpStatusCode.BadRequest } refused =>
            string.Create(CultureInfo.InvariantCulture, $"HTTP {(int)refused.StatusCode} ({refused.ReasonPhrase})") + (MessageOf(refused.Content) is { } message ? ": " + message : string.Empty),
        { InnerException: { } inner } => error.Message + " " + inner.Message,
        _ => error.Message,
    });

    private static string? MessageOf(string? content)
    {
        try
        {
            return content is { Length: > 0 } ? JsonSerializer.Deserialize(content, GitHubJsonContext.Default.GitHubError)?.Message : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string Shorten(string text) => text.Length <= MaxMessage ? text : text[..MaxMessage] + "...";
}
