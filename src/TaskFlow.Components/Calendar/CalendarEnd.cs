namespace TaskFlow.Components.Calendar;

/// <summary>
/// NodaTime's calendar and DateTimeOffset both run from the year 1 to the year 9999, in local time and in UTC, and
/// throw past either end: a wall time in a zone behind UTC can fall due in the year 10000, the last day ends on the
/// first instant of the next year, a rule's next date can lie beyond. Date arithmetic that may reach that far goes
/// through here, and finds nothing there instead of failing.
/// </summary>
internal static class CalendarEnd
{
    public static T? Within<T>(Func<T> compute) where T : struct
    {
        try
        {
            return compute();
        }
        catch (Exception e) when (e is OverflowException or ArgumentOutOfRangeException)
        {
            return null;
        }
    }

    public static T? WithinOrNull<T>(Func<T?> compute) where T : class
    {
        try
        {
            return compute();
        }
        catch (Exception e) when (e is OverflowException or ArgumentOutOfRangeException)
        {
            return null;
        }
    }
}
