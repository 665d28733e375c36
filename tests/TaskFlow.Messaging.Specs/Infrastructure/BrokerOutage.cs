namespace TaskFlow.Messaging.Specs.Infrastructure;

public static class BrokerOutage
{
    /// <summary>
    /// The broker refuses this user on this virtual host and drops its connections: for the bus, the broker is down.
    /// The management API lists a new connection only after its next statistics tick, so this keeps closing what it
    /// lists until the client has noticed.
    /// </summary>
    public static async Task TakeAwayAsync(this TestVirtualHost virtualHost, Func<bool> noticed)
    {
        await virtualHost.RevokeAsync();
        await Eventually.HoldsAsync(async () =>
        {
            await virtualHost.CloseConnectionsAsync();
            return noticed();
        }, "the client noticed the broker is gone");
    }
}
