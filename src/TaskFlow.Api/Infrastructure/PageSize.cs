using System.Globalization;

namespace TaskFlow.Api.Infrastructure;

public static class PageSize
{
    /// <summary>
    /// Reads a size query parameter (<c>limit</c> unless <paramref name="field"/> names another): a whole number from 1
    /// to <paramref name="max"/>, or the default when absent.
    /// </summary>
    public static int Parse(string? text, int fallback, int max, Dictionary<string, string[]> errors, string field = "limit")
    {
        if (string.IsNullOrWhiteSpace(text))
            return fallback;
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var limit) && limit >= 1 && limit <= max)
            return limit;
        errors[field] = [$"Must be a whole number from 1 to {max}."];
        return fallback;
    }
}
