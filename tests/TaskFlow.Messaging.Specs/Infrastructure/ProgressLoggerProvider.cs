using Microsoft.Extensions.Logging;

namespace TaskFlow.Messaging.Specs.Infrastructure;

/// <summary>Host logs (warnings and up by default) go to NUnit's progress stream, so a failed run shows what the services saw.</summary>
public sealed class ProgressLoggerProvider : ILoggerProvider
{
    public ILogger CreateLogger(string categoryName) => new ProgressLogger(categoryName);

    public void Dispose()
    {
    }

    private sealed class ProgressLogger(string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var line = $"[{DateTime.UtcNow:HH:mm:ss.fff} {logLevel} {category}] {formatter(state, exception)}";
            if (exception is not null)
                line += Environment.NewLine + exception;
            TestContext.Progress.WriteLine(line);
        }
    }
}
