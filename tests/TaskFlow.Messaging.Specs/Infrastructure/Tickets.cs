using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace TaskFlow.Messaging.Specs.Infrastructure;

/// <summary>A saga instance as an application would map it: key CorrelationId, one column per property.</summary>
public sealed class Ticket : SagaStateMachineInstance
{
    public const string TableSql = """
        CREATE TABLE ticket (
            correlation_id uuid PRIMARY KEY,
            current_state text NOT NULL,
            counter integer NOT NULL,
            reference text NULL
        )
        """;

    public Guid CorrelationId { get; set; }
    public string CurrentState { get; set; } = "";
    public int Counter { get; set; }
    public string? Reference { get; set; }
}

public sealed record OpenTicket(Guid TicketId, string Reference);

public sealed record BumpTicket(Guid TicketId);

public sealed record TagTicket(string Reference);

public sealed record ApproveTicket(Guid TicketId);

public sealed record ExplodeTicket(Guid TicketId);

public sealed record CloseTicket(Guid TicketId);

public sealed record TicketApproved(Guid TicketId);

public sealed record TicketExploded(Guid TicketId);

/// <summary>
/// Every event adds to <see cref="Ticket.Counter"/>, so a lost or doubled message shows in one number. OpenTicket
/// both starts and bumps a ticket, so two racing opens must end as one instance with counter 2.
/// </summary>
public sealed class TicketStateMachine : MassTransitStateMachine<Ticket>
{
    public TicketStateMachine()
    {
        InstanceState(t => t.CurrentState);
        Event(() => Opened, e => e.CorrelateById(c => c.Message.TicketId));
        Event(() => Bumped, e =>
        {
            e.CorrelateById(c => c.Message.TicketId);
            e.OnMissingInstance(m => m.Discard());
        });
        Event(() => Tagged, e =>
        {
            e.CorrelateBy((ticket, c) => ticket.Reference == c.Message.Reference);
            e.OnMissingInstance(m => m.Discard());
        });
        Event(() => Approve, e => e.CorrelateById(c => c.Message.TicketId));
        Event(() => Explode, e => e.CorrelateById(c => c.Message.TicketId));
        Event(() => Close, e => e.CorrelateById(c => c.Message.TicketId));

        Initially(
            When(Opened)
                .Then(c =>
                {
                    c.Saga.Counter++;
                    c.Saga.Reference = c.Message.Reference;
                })
                .TransitionTo(Open));

        During(Open,
            When(Opened).Then(c => c.Saga.Counter++),
            When(Bumped).Then(c => c.Saga.Counter++),
            When(Tagged).Then(c => c.Saga.Counter++),
            When(Approve).TransitionTo(Approved).Publish(c => new TicketApproved(c.Saga.CorrelationId)),
            When(Explode)
                .Then(c => c.Saga.Counter += 100)
                .ThenAsync(async c =>
                {
                    // Flushes the saga's change (it is tracked by the same context) into the transaction before failing.
                    var db = c.GetServiceOrCreateInstance<SpecDbContext>();
                    db.Notes.Add(new Note { Id = c.Saga.CorrelationId, Text = "exploded" });
                    await db.SaveChangesAsync(c.CancellationToken);
                })
                .Publish(c => new TicketExploded(c.Saga.CorrelationId))
                .Then(c =>
                {
                    // Recorded while the row lock is held: whatever reaches the ticket after this waits for the rollback.
                    c.GetServiceOrCreateInstance<Recorder>().Add(nameof(TicketStateMachine), c.MessageId, c.Message);
                    throw new InvalidOperationException("The saga failed after publishing.");
                }),
            When(Close).Finalize());

        During(Approved, When(Bumped).Then(c => c.Saga.Counter++));

        SetCompletedWhenFinalized();
    }

    public State Open { get; private set; } = null!;
    public State Approved { get; private set; } = null!;

    public Event<OpenTicket> Opened { get; private set; } = null!;
    public Event<BumpTicket> Bumped { get; private set; } = null!;
    public Event<TagTicket> Tagged { get; private set; } = null!;
    public Event<ApproveTicket> Approve { get; private set; } = null!;
    public Event<ExplodeTicket> Explode { get; private set; } = null!;
    public Event<CloseTicket> Close { get; private set; } = null!;
}

/// <summary>Records what the ticket saga published, and whether the ticket's new state was committed when it arrived.</summary>
public sealed class TicketEventsConsumer(Recorder recorder, IServiceScopeFactory scopes) :
    IConsumer<TicketApproved>, IConsumer<TicketExploded>, IConsumer<Marker>
{
    public async Task Consume(ConsumeContext<TicketApproved> context)
    {
        await using var scope = scopes.CreateAsyncScope();
        var committed = await scope.ServiceProvider.GetRequiredService<SpecDbContext>().Tickets
            .AnyAsync(t => t.CorrelationId == context.Message.TicketId && t.CurrentState == "Approved");
        recorder.Add(nameof(TicketEventsConsumer), context.MessageId, context.Message, committed);
    }

    public Task Consume(ConsumeContext<TicketExploded> context)
    {
        recorder.Add(nameof(TicketEventsConsumer), context.MessageId, context.Message);
        return Task.CompletedTask;
    }

    public Task Consume(ConsumeContext<Marker> context)
    {
        recorder.Add(nameof(TicketEventsConsumer), context.MessageId, context.Message);
        return Task.CompletedTask;
    }
}
