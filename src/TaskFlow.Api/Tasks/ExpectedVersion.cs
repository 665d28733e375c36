namespace TaskFlow.Api.Tasks;

/// <summary>The versions a write may apply to; nothing stated admits any, as does "*" (which is stated).</summary>
public sealed record ExpectedVersion(bool Stated, IReadOnlyList<int>? Versions)
{
    public static readonly ExpectedVersion None = new(false, null);
    public static readonly ExpectedVersion Any = new(true, null);

    public static ExpectedVersion Of(IReadOnlyList<int> versions) => new(true, versions);

    public bool Admits(int current) => Versions is null || Versions.Contains(current);
}
