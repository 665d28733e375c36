using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace TaskFlow.Messaging.Specs.Infrastructure;

public sealed class RecordingConsumer(Recorder recorder) : IConsumer<Numbered>, IConsumer<Marker>
{
    public Task Consume(ConsumeContext<Numbered> context)
    {
        recorder.Add(nameof(RecordingConsumer), context.MessageId, context.Message);
        return Task.CompletedTask;
    }

    public Task Consume(ConsumeContext<Marker> context)
    {
        recorder.Add(nameof(RecordingConsumer), context.MessageId, context.Message);
        return Task.CompletedTask;
    }
}

/// <summary>Writes a note per ping in the inbox transaction; a second run for the same message would be recorded twice.</summary>
public sealed class PingConsumer(Recorder recorder, SpecDbContext db) : IConsumer<Ping>, IConsumer<Marker>
{
    public async Task Consume(ConsumeContext<Ping> context)
    {
        db.Notes.Add(new Note { Id = Guid.NewGuid(), Text = $"ping {context.Message.Id}" });
        await db.SaveChangesAsync(context.CancellationToken);
        recorder.Add(nameof(PingConsumer), context.MessageId, context.Message);
    }

    public Task Consume(ConsumeContext<Marker> context)
    {
        recorder.Add(nameof(PingConsumer), context.MessageId, context.Message);
        return Task.CompletedTask;
    }
}

/// <summary>Like <see cref="PingConsumer"/>, on an endpoint that runs several messages at once.</summary>
public sealed class ConcurrentPingConsumer(Recorder recorder, SpecDbContext db) : IConsumer<Ping>
{
    public async Task Consume(ConsumeContext<Ping> context)
    {
        db.Notes.Add(new Note { Id = Guid.NewGuid(), Text = $"ping {context.Message.Id}" });
        await db.SaveChangesAsync(context.CancellationToken);
        recorder.Add(nameof(ConcurrentPingConsumer), context.MessageId, context.Message);
    }
}

/// <summary>Stores a note and publishes <see cref="Forwarded"/> in the same inbox transaction; fails after both when asked to.</summary>
public sealed class ForwardingConsumer(Recorder recorder, SpecDbContext db, IPublishEndpoint publishEndpoint) : IConsumer<Forward>, IConsumer<Marker>
{
    public async Task Consume(ConsumeContext<Forward> context)
    {
        db.Notes.Add(new Note { Id = context.Message.Id, Text = "forward" });
        await db.SaveChangesAsync(context.CancellationToken);
        // The injected endpoint and the context both go to the consumer's outbox; use the injected one.
        await publishEndpoint.Publish(new Forwarded(context.Message.Id), context.CancellationToken);
        recorder.Add(nameof(ForwardingConsumer), context.MessageId, context.Message);
        if (context.Message.Fail)
            throw new InvalidOperationException("The consumer failed after publishing.");
    }

    public Task Consume(ConsumeContext<Marker> context)
    {
        recorder.Add(nameof(ForwardingConsumer), context.MessageId, context.Message);
        return Task.CompletedTask;
    }
}

/// <summary>Records whether the forwarding consumer's note was already committed (visible to another connection) on arrival.</summary>
public sealed class ForwardedConsumer(Recorder recorder, IServiceScopeFactory scopes) : IConsumer<Forwarded>, IConsumer<Marker>
{
    public async Task Consume(ConsumeContext<Forwarded> context)
    {
        await using var scope = scopes.CreateAsyncScope();
        var committed = await scope.ServiceProvider.GetRequiredService<SpecDbContext>().Notes.AnyAsync(n => n.Id == context.Message.Id);
        recorder.Add(nameof(ForwardedConsumer), context.MessageId, context.Message, committed);
    }

    public Task Consume(ConsumeContext<Marker> context)
    {
        recorder.Add(nameof(ForwardedConsumer), context.MessageId, context.Message);
        return Task.CompletedTask;
    }
}
