using System.Text.Json;

namespace TaskFlow.Api.Infrastructure;

/// <summary>A JSON string the API cannot store; its message is the answer's, its path the field.</summary>
internal sealed class UnstorableTextException() : JsonException(StorableText.Problem);
