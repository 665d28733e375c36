namespace TaskFlow.Testing;

/// <summary>NUnit categories the suite is run by in parts (<c>--filter TestCategory=Timing</c>).</summary>
public static class SpecCategories
{
    /// <summary>
    /// Specs that assert how soon something happens (a reminder within a second of its time, a push within a second of its
    /// change): the ones to run beside busy loops when a change may slow the system down.
    /// </summary>
    public const string Timing = "Timing";
}
