using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace TaskFlow.Messaging.Storage;

/// <summary>The envelope's columns, mapped alike for every table of <see cref="StoredMessage"/>s.</summary>
internal static class StoredMessageMapping
{
    private const int AddressLength = 256;

    public static EntityTypeBuilder<TMessage> MapEnvelope<TMessage>(this EntityTypeBuilder<TMessage> message)
        where TMessage : StoredMessage
    {
        message.Property(m => m.ContentType).HasMaxLength(AddressLength);
        message.Property(m => m.SourceAddress).HasMaxLength(AddressLength);
        message.Property(m => m.DestinationAddress).HasMaxLength(AddressLength);
        message.Property(m => m.ResponseAddress).HasMaxLength(AddressLength);
        message.Property(m => m.FaultAddress).HasMaxLength(AddressLength);
        return message;
    }
}
