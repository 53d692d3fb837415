using ArtifactBuildTools.Errors;
using ArtifactBuildTools.Tests.TestSupport;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace ArtifactBuildTools.Tests.Errors;

/// <summary>
/// Every call that hands a message-table code and its arguments to a <c>params object?[]</c> (an exception, a log
/// call, a task's log helper) passes exactly one argument per named placeholder. The product's source is bound with
/// Roslyn, so the check follows the parameters, not the text, and sees an inner exception for what it is.
/// </summary>
public class MessageCallSiteTests
{
    private static readonly string[] SourceRoots = ["src", "action"];

    [Fact]
    public void Every_coded_call_passes_one_argument_per_placeholder()
    {
        var (compilation, trees) = Compile();
        var mismatches = new List<string>();
        var checkedSites = 0;
        foreach (var tree in trees)
        {
            var model = compilation.GetSemanticModel(tree);
            // Binding is slow: only calls that name a code (AbtCode.X, or a helper's code parameter) are bound.
            foreach (var node in tree.GetRoot().DescendantNodes().Where(n => ArgumentsOf(n) is { } list && list.Arguments.Any(a => a.ToString().Contains("AbtCode.", StringComparison.Ordinal))))
            {
                var arguments = model.GetOperation(node) switch
                {
                    IInvocationOperation invocation => invocation.Arguments,
                    IObjectCreationOperation creation => creation.Arguments,
                    _ => default,
                };
                if (arguments.IsDefaultOrEmpty || Coded(arguments) is not { } site)
                {
                    continue;
                }

                foreach (var code in site.Codes)
                {
                    checkedSites++;
                    var expected = AbtMessages.Placeholders(code).Count;
                    if (expected != site.Count)
                    {
                        var line = node.GetLocation().GetLineSpan();
                        mismatches.Add($"{Path.GetRelativePath(RepositoryRoot.Find(), line.Path)}:{line.StartLinePosition.Line + 1} {code}: {site.Count} argument(s) for {expected} placeholder(s)");
                    }
                }
            }
        }

        Assert.True(mismatches.Count == 0, string.Join(Environment.NewLine, mismatches));
        // The walk found the call sites at all (the product has hundreds): a broken binding cannot pass silently.
        Assert.True(checkedSites > 250, $"only {checkedSites} coded call sites were found");
    }

    private static ArgumentListSyntax? ArgumentsOf(SyntaxNode node) => node switch
    {
        InvocationExpressionSyntax invocation => invocation.ArgumentList,
        BaseObjectCreationExpressionSyntax creation => creation.ArgumentList,
        _ => null,
    };

    /// <summary>The constant code(s) and the number of message arguments of a call, if it is a coded one.</summary>
    private static (IReadOnlyList<AbtCode> Codes, int Count)? Coded(IEnumerable<IArgumentOperation> arguments)
    {
        var list = arguments.ToList();
        var code = list.FirstOrDefault(a => a.Parameter?.Type.Name == nameof(AbtCode));
        var rest = list.FirstOrDefault(a => a.ArgumentKind == ArgumentKind.ParamArray && a.Parameter?.Type is IArrayTypeSymbol { ElementType.SpecialType: SpecialType.System_Object });
        if (code is null || rest?.Value is not IArrayCreationOperation { Initializer: { } values })
        {
            return null;
        }

        var codes = Constants(code.Value).ToList();
        return codes.Count == 0 ? null : (codes, values.ElementValues.Length);
    }

    // A code written out, or either branch of `cond ? AbtCode.A : AbtCode.B`; a code in a variable is not checkable here.
    private static IEnumerable<AbtCode> Constants(IOperation value) => value switch
    {
        IConditionalOperation { WhenFalse: { } whenFalse } choice => Constants(choice.WhenTrue).Concat(Constants(whenFalse)),
        IConversionOperation conversion => Constants(conversion.Operand),
        _ when value.ConstantValue is { HasValue: true, Value: int number } && value.Type?.Name == nameof(AbtCode) => [(AbtCode)number],
        _ => [],
    };

    private static (CSharpCompilation Compilation, IReadOnlyList<SyntaxTree> Trees) Compile()
    {
        var root = RepositoryRoot.Find();
        var options = new CSharpParseOptions(LanguageVersion.Preview);
        var implicitUsings = CSharpSyntaxTree.ParseText(
            "global using System; global using System.IO; global using System.Linq; global using System.Collections.Generic; " +
            "global using System.Net.Http; global using System.Threading; global using System.Threading.Tasks;",
            options);
        var trees = SourceRoots
            .SelectMany(r => Directory.EnumerateFiles(Path.Combine(root, r), "*.cs", SearchOption.AllDirectories))
            .Where(p => !p.Split(Path.DirectorySeparatorChar).Any(s => s is "obj" or "bin"))
            .Select(p => CSharpSyntaxTree.ParseText(File.ReadAllText(p), options, p))
            .ToList();

        // The runtime and every assembly beside the tests (Core's and the CLI's packages); what only the tasks or the
        // action reference stays unresolved, which leaves the calls' own arguments bound.
        var references = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Concat(Directory.EnumerateFiles(AppContext.BaseDirectory, "*.dll"))
            .Where(p => !Path.GetFileName(p).StartsWith("ArtifactBuildTools.", StringComparison.Ordinal))
            .DistinctBy(Path.GetFileName, StringComparer.OrdinalIgnoreCase)
            .Select(p => MetadataReference.CreateFromFile(p));
        var compilation = CSharpCompilation.Create(
            "AbtSources", [implicitUsings, .. trees], references, new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
        return (compilation, trees);
    }
}
