using System.Globalization;
using Microsoft.EntityFrameworkCore;
using TaskFlow.Components.Audit;

namespace TaskFlow.Api.Audit;

/// <summary>
/// Pages of the audit log in (occurred_at, event_id) order. A page's cursor names its last entry and the next page
/// starts right after it, so paging costs the same on the thousandth page as on the first.
/// </summary>
internal static class AuditPages
{
    public static async Task<AuditEndpoints.Page> ReadAsync(
        IQueryable<AuditEntry> entries, int take, (DateTimeOffset At, Guid Id)? after, CancellationToken cancellationToken)
    {
        if (after is { } last)
            entries = entries.Where(a => EF.Functions.GreaterThan(ValueTuple.Create(a.OccurredAt, a.EventId), ValueTuple.Create(last.At, last.Id)));
        var page = await entries.OrderBy(a => a.OccurredAt).ThenBy(a => a.EventId).Take(take + 1).ToListAsync(cancellationToken);
        string? next = null;
        if (page.Count > take)
        {
            page.RemoveAt(take);
            next = $"{page[^1].OccurredAt.UtcTicks.ToString(CultureInfo.InvariantCulture)}_{page[^1].EventId:N}";
        }
        return new AuditEndpoints.Page(
            page.Select(a => new AuditEndpoints.Entry(a.EventId, a.EventType, a.TaskId, a.TaskVersion, a.OccurredAt, a.Payload.RootElement.Clone())).ToList(),
            next);
    }

    public static (DateTimeOffset, Guid)? ParseCursor(string? text, Dictionary<string, string[]> errors)
    {
        if (string.IsNullOrWhiteSpace(text))
            return null;
        var parts = text.Split('_');
        if (parts.Length == 2 && long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var ticks)
            && ticks <= DateTimeOffset.MaxValue.UtcTicks && Guid.TryParseExact(parts[1], "N", out var id))
            return (new DateTimeOffset(ticks, TimeSpan.Zero), id);
        errors["cursor"] = ["Pass nextCursor from the previous page unchanged."];
        return null;
    }
}
