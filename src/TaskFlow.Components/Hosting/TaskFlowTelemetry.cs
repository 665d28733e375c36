using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace TaskFlow.Components.Hosting;

/// <summary>TaskFlow's own spans and instruments, beside those of ASP.NET Core, MassTransit, Npgsql and the runtime.</summary>
public static class TaskFlowTelemetry
{
    public const string SourceName = "TaskFlow";
    public const string MeterName = "TaskFlow";

    /// <summary>Spans of work no library traces for us (the push to a browser).</summary>
    public static readonly ActivitySource Source = new(SourceName);

    /// <summary>Histogram, seconds: how long after its intended time a reminder went out (the scheduler's send).</summary>
    public const string ReminderLateness = "taskflow.reminders.lateness";

    /// <summary>Counter: notifications pushed to a user's connections on this API instance, by kind.</summary>
    public const string NotificationsPushed = "taskflow.notifications.pushed";

    /// <summary>The host's TaskFlow meter; a bare one where no host gives a factory (unit specs).</summary>
    public static Meter CreateMeter(IMeterFactory? meterFactory) => meterFactory?.Create(MeterName) ?? new Meter(MeterName);
}
