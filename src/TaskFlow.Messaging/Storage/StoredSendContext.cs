using MassTransit;
using MassTransit.Serialization;

namespace TaskFlow.Messaging.Storage;

/// <summary>
/// The send context's headers and transport properties as a stored message keeps them (JSON columns), read back
/// for its re-send: the outbox's messages and the scheduler's share the shape.
/// </summary>
internal static class StoredSendContext
{
    public static DictionarySendHeaders ReadHeaders(IObjectDeserializer deserializer, string? json) =>
        deserializer.DeserializeDictionary<object?>(json) is { } stored ? new DictionarySendHeaders(stored) : new DictionarySendHeaders();

    public static Dictionary<string, object> ReadProperties(IObjectDeserializer deserializer, string? json) =>
        deserializer.DeserializeDictionary<object>(json) is { } stored
            ? new Dictionary<string, object>(stored, StringComparer.OrdinalIgnoreCase)
            : new Dictionary<string, object>(StringComparer.OrdinalIgnoreCase);
}
