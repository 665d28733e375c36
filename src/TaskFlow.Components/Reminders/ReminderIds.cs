using System.Security.Cryptography;
using System.Text;

namespace TaskFlow.Components.Reminders;

/// <summary>
/// A reminder is a task's offset, so its id is derived from both (an RFC 4122 name-based, version 5 UUID): the same
/// reminder keeps its id across edits, and removing then re-adding an offset brings back the same saga.
/// </summary>
public static class ReminderIds
{
    private static readonly Guid Namespace = new("3f1c1a52-6f1e-4d0b-9a47-1f0a8d2a6c11");

    public static Guid For(Guid taskId, string offset)
    {
        var name = Encoding.UTF8.GetBytes($"{taskId:D}/{offset}");
        var input = new byte[16 + name.Length];
        Namespace.TryWriteBytes(input, bigEndian: true, out _);
        name.CopyTo(input, 16);
#pragma warning disable CA5350 // SHA-1 is what RFC 4122 prescribes for version 5 ids; nothing here is secret.
        var hash = SHA1.HashData(input);
#pragma warning restore CA5350
        hash[6] = (byte)((hash[6] & 0x0F) | 0x50);
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return new Guid(hash.AsSpan(0, 16), bigEndian: true);
    }
}
