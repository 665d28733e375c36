using NodaTime;
using TaskFlow.Components.Calendar;

namespace TaskFlow.Components.Notifications;

/// <summary>
/// A notification just stored (or stored by an earlier delivery), with what its owner wants pushed live (no
/// preferences saved: all of it).
/// </summary>
internal sealed record StoredNotification(
    long Id, Guid OwnerId, Guid EventId, string Kind, Guid TaskId, string Title, int? TaskVersion, Guid? ReminderId, DateTimeOffset OccurredAt,
    string? Origin, string TimeZone, string[]? LiveKinds, TimeOnly? QuietStart, TimeOnly? QuietEnd)
{
    public bool PushesLive(DateTimeOffset now)
    {
        if (LiveKinds is { } live && !live.Contains(Kind))
            return false;
        return QuietHours.FromStored(QuietStart, QuietEnd)?.Covers(now, TimeZones.Find(TimeZone) ?? DateTimeZone.Utc) is not true;
    }
}
