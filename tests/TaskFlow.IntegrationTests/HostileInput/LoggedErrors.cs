using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace TaskFlow.IntegrationTests.HostileInput;

/// <summary>
/// The exceptions the API logs, in order: a 500's cause is in the log, not in its answer. Requests are sent one at a
/// time, so what is logged while one is in flight belongs to it.
/// </summary>
public sealed class LoggedErrors : ILoggerProvider
{
    private readonly ConcurrentQueue<string> errors = new();

    public int Count => errors.Count;

    /// <summary>What was logged after the first <paramref name="skip"/> errors, one line each: the innermost exception,
    /// where in TaskFlow it was thrown, by what, and its message.</summary>
    public IReadOnlyList<string> Since(int skip) => [.. errors.Skip(skip)];

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, errors);

    public void Dispose()
    {
    }

    private sealed class Logger(string category, ConcurrentQueue<string> errors) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Error;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (exception is null || !IsEnabled(logLevel))
                return;
            var cause = exception.GetBaseException();
            var where = cause.StackTrace?.Split('\n').FirstOrDefault(line => line.Contains("TaskFlow.", StringComparison.Ordinal))?.Trim();
            errors.Enqueue($"{cause.GetType().FullName} {where} ({category}): {cause.Message.Split('\n')[0]}");
        }
    }
}
