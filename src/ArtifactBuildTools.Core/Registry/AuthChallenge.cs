using System.Text;

namespace ArtifactBuildTools.Registry;

/// <summary>
/// One challenge of a <c>WWW-Authenticate</c> header (RFC 9110 §11.6.1): a scheme plus either auth-params or a
/// token68. One header may carry several challenges (<c>Basic realm="a", Bearer realm="b",service="c"</c>); quoted
/// values may contain commas (scope lists) and backslash escapes.
/// </summary>
public sealed class AuthChallenge
{
    private AuthChallenge(string scheme, IReadOnlyDictionary<string, string> parameters, string? token68)
    {
        Scheme = scheme;
        Parameters = parameters;
        Token68 = token68;
    }

    /// <summary>The scheme as sent (compare case-insensitively), e.g. <c>Bearer</c>.</summary>
    public string Scheme { get; }

    /// <summary>Auth-params by case-insensitive name, values unquoted.</summary>
    public IReadOnlyDictionary<string, string> Parameters { get; }

    /// <summary>The token68 form, when the challenge used it instead of params.</summary>
    public string? Token68 { get; }

    public bool IsBearer => Scheme.Equals("Bearer", StringComparison.OrdinalIgnoreCase);

    public bool IsBasic => Scheme.Equals("Basic", StringComparison.OrdinalIgnoreCase);

    public string? Realm => Get("realm");

    public string? Service => Get("service");

    /// <summary>The <c>scope</c> parameter split on spaces (one entry per resource, e.g. <c>repository:a/b:pull,push</c>).</summary>
    public IReadOnlyList<string> Scopes =>
        Get("scope") is { } s ? s.Split(' ', StringSplitOptions.RemoveEmptyEntries) : [];

    public string? Get(string name) => Parameters.TryGetValue(name, out var v) ? v : null;

    /// <summary>Parses every challenge in the given header values; malformed parts are skipped, never thrown.</summary>
    public static IReadOnlyList<AuthChallenge> Parse(IEnumerable<string> headerValues)
    {
        ArgumentNullException.ThrowIfNull(headerValues);
        var result = new List<AuthChallenge>();
        foreach (var value in headerValues)
        {
            result.AddRange(Parse(value));
        }

        return result;
    }

    /// <summary>Parses every challenge in one header value.</summary>
    public static IReadOnlyList<AuthChallenge> Parse(string headerValue)
    {
        var result = new List<AuthChallenge>();
        if (string.IsNullOrWhiteSpace(headerValue))
        {
            return result;
        }

        var s = headerValue;
        var i = 0;
        string? scheme = null;
        Dictionary<string, string>? parameters = null;
        string? token68 = null;

        void Flush()
        {
            if (scheme is not null)
            {
                result.Add(new AuthChallenge(scheme, parameters ?? new(StringComparer.OrdinalIgnoreCase), token68));
            }

            scheme = null;
            parameters = null;
            token68 = null;
        }

        while (i < s.Length)
        {
            SkipSeparators(s, ref i);
            if (i >= s.Length)
            {
                break;
            }

            var token = ReadToken(s, ref i);
            if (token.Length == 0)
            {
                i++; // unexpected character: skip it
                continue;
            }

            var afterToken = i;
            SkipSpaces(s, ref i);
            if (i < s.Length && s[i] == '=' && scheme is not null && !IsToken68Tail(s, i))
            {
                // auth-param of the current challenge
                i++;
                SkipSpaces(s, ref i);
                var value = i < s.Length && s[i] == '"' ? ReadQuoted(s, ref i) : ReadToken(s, ref i);
                parameters ??= new(StringComparer.OrdinalIgnoreCase);
                parameters[token] = value;
                continue;
            }

            if (i < s.Length && s[i] == '=' && scheme is not null)
            {
                // token68 such as "abc==" after a scheme
                while (i < s.Length && s[i] == '=')
                {
                    i++;
                }

                token68 = s[(afterToken - token.Length)..i].Replace(" ", string.Empty, StringComparison.Ordinal);
                continue;
            }

            if (i < s.Length && s[i] == '=')
            {
                // a param with no scheme before it: malformed, skip its value
                i++;
                SkipSpaces(s, ref i);
                _ = i < s.Length && s[i] == '"' ? ReadQuoted(s, ref i) : ReadToken(s, ref i);
                continue;
            }

            // a new challenge starts
            Flush();
            scheme = token;
        }

        Flush();
        return result;
    }

    private static bool IsToken68Tail(string s, int equalsIndex)
    {
        // "=" followed by more "=" or by a separator/end means token68 padding, not an auth-param.
        var j = equalsIndex;
        while (j < s.Length && s[j] == '=')
        {
            j++;
        }

        if (j - equalsIndex > 1)
        {
            return true;
        }

        while (j < s.Length && s[j] == ' ')
        {
            j++;
        }

        return j >= s.Length || s[j] == ',';
    }

    private static void SkipSpaces(string s, ref int i)
    {
        while (i < s.Length && s[i] is ' ' or '\t')
        {
            i++;
        }
    }

    private static void SkipSeparators(string s, ref int i)
    {
        while (i < s.Length && s[i] is ' ' or '\t' or ',')
        {
            i++;
        }
    }

    private static string ReadToken(string s, ref int i)
    {
        var start = i;
        while (i < s.Length && s[i] is not (' ' or '\t' or ',' or '=' or '"'))
        {
            i++;
        }

        return s[start..i];
    }

    private static string ReadQuoted(string s, ref int i)
    {
        var text = new StringBuilder();
        i++; // opening quote
        while (i < s.Length && s[i] != '"')
        {
            if (s[i] == '\\' && i + 1 < s.Length)
            {
                i++;
            }

            text.Append(s[i]);
            i++;
        }

        if (i < s.Length)
        {
            i++; // closing quote
        }

        return text.ToString();
    }
}
