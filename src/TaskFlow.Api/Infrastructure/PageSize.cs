using System.Globalization;

namespace TaskFlow.Api.Infrastructure;

public static class PageSize
{
    /// <summary>Reads a <c>limit</c> query parameter: a whole number from 1 to <paramref name="max"/>, or the default when absent.</summary>
    public static int Parse(string? text, int fallback, int max, Dictionary<string, string[]> errors)
    {
        if (string.IsNullOrWhiteSpace(text))
            return fallback;
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var limit) && limit >= 1 && limit <= max)
            return limit;
        errors["limit"] = [$"Must be a whole number from 1 to {max}."];
        return fallback;
    }
}
