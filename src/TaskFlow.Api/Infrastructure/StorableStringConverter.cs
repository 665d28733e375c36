using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace TaskFlow.Api.Infrastructure;

/// <summary>
/// Reads every JSON string of every request body, so no endpoint can forget the check; the serializer adds the
/// JSON path, and <see cref="BadRequestExceptionHandler"/> answers 400 naming that field.
/// </summary>
internal sealed class StorableStringConverter : JsonConverter<string>
{
    public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var text = reader.GetString();
        return text is null || StorableText.IsStorable(text) ? text : throw new UnstorableTextException();
    }

    public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options) => writer.WriteStringValue(value);

    /// <summary>
    /// The OpenAPI generator cannot see into a converter of ours and would describe every string as any value;
    /// this says "string" again (or "string or null" for a nullable property, "array of string" for a list), as before.
    /// </summary>
    public sealed class Schema : IOpenApiSchemaTransformer
    {
        public Task TransformAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
        {
            if (context.JsonTypeInfo.Type == typeof(string))
            {
                schema.Type = context.JsonPropertyInfo is { IsGetNullable: true } or { IsSetNullable: true }
                    ? JsonSchemaType.String | JsonSchemaType.Null
                    : JsonSchemaType.String;
            }
            else if (context.JsonTypeInfo.ElementType == typeof(string))
            {
                schema.Items ??= new OpenApiSchema { Type = JsonSchemaType.String };
            }
            return Task.CompletedTask;
        }
    }
}
