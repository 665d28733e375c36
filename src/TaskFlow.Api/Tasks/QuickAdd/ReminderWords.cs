using System.Text.RegularExpressions;
using TaskFlow.Components.Calendar;

namespace TaskFlow.Api.Tasks.QuickAdd;

/// <summary>"remind me 1 day before", "remind me an hour before", "remind me 15 minutes before": as many as are typed.</summary>
internal static partial class ReminderWords
{
    public static List<(string Offset, Understood Read)> Read(TextClaims text)
    {
        var offsets = new List<(string, Understood)>();
        text.ClaimAll(Reminder(), match =>
        {
            var duration = $"{Words.Number(match.Groups["n"].Value)} {match.Groups["unit"].Value}";
            if (!ReminderOffsets.TryParse(duration, out var offset, out _))
                return false;
            offsets.Add((ReminderOffsets.Format(offset), new Understood(match, "reminder", $"Remind {duration.ToLowerInvariant()} before it is due")));
            return true;
        });
        return offsets;
    }

    [GeneratedRegex(Words.Start + @"remind\s+me\s+(?<n>" + Words.Count + @")\s*(?<unit>minutes?|mins?|hours?|days?|weeks?)\s+(?:before|earlier)" + Words.End,
        RegexOptions.IgnoreCase | RegexOptions.ExplicitCapture)]
    private static partial Regex Reminder();
}
