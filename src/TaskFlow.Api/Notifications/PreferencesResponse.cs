namespace TaskFlow.Api.Notifications;

/// <param name="TimeZone">Your profile's zone, in which quiet hours are read; change it with PUT /accounts/me.</param>
public sealed record PreferencesResponse(IReadOnlyList<string> Live, QuietHoursResponse? QuietHours, string TimeZone);
