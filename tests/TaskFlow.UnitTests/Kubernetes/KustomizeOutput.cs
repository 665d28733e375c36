using System.ComponentModel;
using System.Diagnostics;
using TaskFlow.Testing;
using YamlDotNet.RepresentationModel;

namespace TaskFlow.UnitTests.Kubernetes;

/// <summary>
/// What <c>kubectl kustomize</c> renders for one folder of infra/k8s, as the API server would receive it. Rendered once
/// per folder and shared by the specs: kubectl takes about a second.
/// </summary>
public sealed class KustomizeOutput
{
    private static readonly Dictionary<string, Lazy<KustomizeOutput>> Rendered = [];

    private KustomizeOutput(string folder, IReadOnlyList<YamlMappingNode> resources, string warnings)
    {
        Folder = folder;
        Resources = resources;
        Warnings = warnings;
    }

    /// <summary>The rendered folder, relative to infra/k8s.</summary>
    public string Folder { get; }

    public IReadOnlyList<YamlMappingNode> Resources { get; }

    /// <summary>What kubectl wrote to standard error: deprecations and other warnings.</summary>
    public string Warnings { get; }

    public static KustomizeOutput Of(string folder)
    {
        Lazy<KustomizeOutput> output;
        lock (Rendered)
        {
            if (!Rendered.TryGetValue(folder, out output!))
                Rendered[folder] = output = new Lazy<KustomizeOutput>(() => Render(folder));
        }
        return output.Value;
    }

    public IEnumerable<YamlMappingNode> OfKind(string kind) => Resources.Where(r => r.Text("kind") == kind);

    public YamlMappingNode One(string kind, string name) =>
        OfKind(kind).SingleOrDefault(r => r.Text("metadata", "name") == name)
        ?? throw new AssertionException($"{Folder} renders no {kind} named {name}.");

    public IEnumerable<string> NamesOf(string kind) => OfKind(kind).Select(r => r.Text("metadata", "name")!);

    private static KustomizeOutput Render(string folder)
    {
        var path = Path.Combine(Repository.Root, "infra", "k8s", folder);
        var start = new ProcessStartInfo("kubectl")
        {
            ArgumentList = { "kustomize", path },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (Win32Exception e)
        {
            throw new AssertionException(
                $"kubectl is needed to render infra/k8s/{folder} (kubectl kustomize, kustomize built in since kubectl 1.14) " +
                $"and could not be started: {e.Message}. Install kubectl and put it on PATH.");
        }
        using (process)
        {
            var output = process.StandardOutput.ReadToEndAsync();
            var errors = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(TimeSpan.FromMinutes(2)))
            {
                process.Kill(entireProcessTree: true);
                throw new AssertionException($"kubectl kustomize infra/k8s/{folder} did not finish within two minutes.");
            }
            if (process.ExitCode != 0)
                throw new AssertionException($"kubectl kustomize infra/k8s/{folder} failed ({process.ExitCode}): {errors.Result}");

            var stream = new YamlStream();
            stream.Load(new StringReader(output.Result));
            var resources = stream.Documents.Select(d => d.RootNode).OfType<YamlMappingNode>().ToList();
            return new KustomizeOutput(folder, resources, errors.Result.Trim());
        }
    }
}

/// <summary>Reading a parsed manifest by path; a missing step gives null or nothing rather than an exception.</summary>
public static class YamlNodes
{
    public static YamlNode? At(this YamlNode? node, params string[] path)
    {
        foreach (var key in path)
        {
            if (node is not YamlMappingNode map)
                return null;
            node = map.Children.FirstOrDefault(c => c.Key is YamlScalarNode { Value: var k } && k == key).Value;
        }
        return node;
    }

    public static string? Text(this YamlNode? node, params string[] path) => (node.At(path) as YamlScalarNode)?.Value;

    public static int? Number(this YamlNode? node, params string[] path) =>
        int.TryParse(node.Text(path), System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var n)
            ? n : null;

    public static IReadOnlyList<YamlNode> Items(this YamlNode? node, params string[] path) =>
        node.At(path) is YamlSequenceNode sequence ? sequence.Children.ToList() : [];

    public static IReadOnlyDictionary<string, string> Pairs(this YamlNode? node, params string[] path) =>
        node.At(path) is YamlMappingNode map
            ? map.Children.Where(c => c.Key is YamlScalarNode && c.Value is YamlScalarNode)
                .ToDictionary(c => ((YamlScalarNode)c.Key).Value!, c => ((YamlScalarNode)c.Value).Value ?? "")
            : new Dictionary<string, string>();

    /// <summary>Every mapping below the node, itself included: for references that may stand anywhere in a resource.</summary>
    public static IEnumerable<YamlMappingNode> Mappings(this YamlNode node)
    {
        if (node is YamlMappingNode map)
        {
            yield return map;
            foreach (var child in map.Children.Values.SelectMany(Mappings))
                yield return child;
        }
        else if (node is YamlSequenceNode sequence)
        {
            foreach (var child in sequence.Children.SelectMany(Mappings))
                yield return child;
        }
    }
}
