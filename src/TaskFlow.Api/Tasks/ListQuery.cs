using System.Globalization;
using TaskFlow.Components.Tasks;

namespace TaskFlow.Api.Tasks;

/// <summary>Reads a listing's query string values, each wrong one named in <c>errors</c> with what it must be.</summary>
internal static class ListQuery
{
    public static T? Parse<T>(string? text, string field, Dictionary<string, string[]> errors) where T : struct, Enum
    {
        if (string.IsNullOrWhiteSpace(text))
            return null;
        if (Enum.TryParse<T>(text.Trim(), ignoreCase: true, out var value) && Enum.IsDefined(value) && !char.IsDigit(text.Trim()[0]))
            return value;
        errors[field] = [$"Must be one of {string.Join(", ", Enum.GetNames<T>().Select(n => n.ToLowerInvariant()))}."];
        return null;
    }

    public static List<TaskPriority>? ParsePriorities(string? text, Dictionary<string, string[]> errors)
    {
        if (string.IsNullOrWhiteSpace(text))
            return null;
        var priorities = new List<TaskPriority>();
        foreach (var part in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (Parse<TaskPriority>(part, "priority", errors) is { } priority)
                priorities.Add(priority);
        }
        return priorities;
    }

    public static DateTimeOffset? ParseBound(string? text, string field, NodaTime.DateTimeZone ownerZone, Dictionary<string, string[]> errors)
    {
        if (string.IsNullOrWhiteSpace(text))
            return null;
        var trimmed = text.Trim();
        if (NodaTime.Text.LocalDatePattern.Iso.Parse(trimmed) is { Success: true } date && date.Value.Year is >= 1900 and <= 9999)
            return ownerZone.AtStartOfDay(date.Value).ToDateTimeOffset().ToUniversalTime();
        if (DateTimeOffset.TryParse(trimmed, CultureInfo.InvariantCulture, DateTimeStyles.None, out var instant) && trimmed.Contains('T', StringComparison.Ordinal)
            && (trimmed.EndsWith('Z') || trimmed.LastIndexOfAny(['+', '-']) > trimmed.IndexOf('T', StringComparison.Ordinal)))
            return instant.ToUniversalTime();
        errors[field] = ["Must be a date (2026-12-01) or an instant with an offset (2026-12-01T09:00:00Z)."];
        return null;
    }

    public static bool? ParseBool(string? text, string field, Dictionary<string, string[]> errors)
    {
        if (string.IsNullOrWhiteSpace(text))
            return null;
        if (bool.TryParse(text.Trim(), out var value))
            return value;
        errors[field] = ["Must be true or false."];
        return null;
    }

    public static bool ParseOrder(string? text, Dictionary<string, string[]> errors)
    {
        switch (text?.Trim().ToLowerInvariant())
        {
            case null or "" or "asc":
                return false;
            case "desc":
                return true;
            default:
                errors["order"] = ["Must be asc or desc."];
                return false;
        }
    }
}
