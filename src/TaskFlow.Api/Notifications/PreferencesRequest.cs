namespace TaskFlow.Api.Notifications;

/// <param name="Live">The kinds pushed live (task.created, task.updated, task.completed, task.reopened, task.deleted,
/// reminder.triggered, occurrence.created); the others reach the inbox only. [] pushes nothing.</param>
/// <param name="QuietHours">When nothing is pushed live, on your profile's wall clock; null for never.</param>
public sealed record PreferencesRequest(IReadOnlyList<string?>? Live, QuietHoursRequest? QuietHours = null);
