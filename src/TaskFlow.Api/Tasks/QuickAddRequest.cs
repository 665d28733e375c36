namespace TaskFlow.Api.Tasks;

/// <param name="Text">
/// The task in one line, such as "Pay rent every month on the 1st at 9am !high #home remind me 1 day before": a
/// date ("today", "tomorrow 5pm", "next fri", "on 4 Jan", "in 3 days"), a repeat ("daily", "every monday", "monthly
/// on the last friday"), a priority ("!high", "p1"), tags ("#home") and reminders ("remind me 2 hours before") are
/// read in your time zone; the rest is the title.
/// </param>
public sealed record QuickAddRequest(string? Text);
