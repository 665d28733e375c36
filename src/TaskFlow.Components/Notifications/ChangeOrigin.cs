using MassTransit;
using Microsoft.AspNetCore.Http;

namespace TaskFlow.Components.Notifications;

/// <summary>
/// Which client made a change: a browser window sends its own id in <see cref="RequestHeader"/> on every request, the
/// task events published while serving it carry the id as <see cref="MessageHeader"/>, and the notifications they become
/// keep it, so that window's bell need not count what its user just did. It decides nothing else, and is no
/// credential: a client naming another window's id only changes which bell counts its change.
/// </summary>
public static class ChangeOrigin
{
    public const string RequestHeader = "X-TaskFlow-Client";
    public const string MessageHeader = "TaskFlow-Origin";
    public const int MaxLength = 64;

    public const string Problem =
        "Must be one id of up to 64 letters, digits, '-' or '_' (the browser window's own, e.g. a UUID); leave it out when there is none.";

    public static bool IsWellFormed(string? id) =>
        id is { Length: > 0 and <= MaxLength } && id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');

    /// <summary>The request's client id, when it sent exactly one well-formed id.</summary>
    public static string? Of(HttpRequest? request) =>
        request?.Headers[RequestHeader] is { Count: 1 } values && IsWellFormed(values[0]) ? values[0] : null;

    /// <summary>The id a consumed event carries; a value no API would have stamped is read as none.</summary>
    public static string? Of(ConsumeContext context) =>
        context.Headers.Get<string>(MessageHeader) is { } id && IsWellFormed(id) ? id : null;
}
