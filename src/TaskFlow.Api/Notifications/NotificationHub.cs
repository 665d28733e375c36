using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;
using Microsoft.IdentityModel.JsonWebTokens;

namespace TaskFlow.Api.Notifications;

/// <summary>
/// The live channel to a user's open browsers. Clients only listen (<see cref="LiveNotification.Method"/>); every
/// change still goes through the REST API, so the hub has no methods of its own.
/// </summary>
[Authorize]
public sealed class NotificationHub(LiveFeed feed) : Hub
{
    public const string Path = "/hubs/notifications";

    /// <summary>Long enough for a starting instance's bus, short enough that a browser soon tries elsewhere.</summary>
    private static readonly TimeSpan FeedWait = TimeSpan.FromSeconds(10);

    public override async Task OnConnectedAsync()
    {
        if (!await feed.WaitAsync(FeedWait, Context.ConnectionAborted))
            throw new HubException("Live notifications are not available on this server yet; try again.");
        await base.OnConnectedAsync();
    }
}
