using System.Text;
using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;

namespace TaskFlow.Api.Infrastructure;

/// <summary>
/// A body's charset must be one .NET can decode (UTF-8, UTF-16, UTF-32, US-ASCII, ISO-8859-1): the JSON reader
/// otherwise fails with an error that is not the client's to read (500). A quoted charset ("utf-8" in quotes, as
/// RFC 9110 allows) is passed on unquoted, because the reader looks the quotes up as part of the name.
/// </summary>
internal static class RequestCharset
{
    public static Task RefuseUnknownCharset(HttpContext context, RequestDelegate next)
    {
        // Unparseable media types are left to the endpoints, which answer 415 for what they cannot read.
        if (!MediaTypeHeaderValue.TryParse(context.Request.ContentType, out var mediaType))
            return next(context);
        var charsets = mediaType.Parameters.Where(p => p.Name.Equals("charset", StringComparison.OrdinalIgnoreCase)).ToList();
        if (charsets.Count == 0)
            return next(context);

        var name = HeaderUtilities.RemoveQuotes(charsets[0].Value);
        if (charsets.Count > 1 || !IsKnown(name))
        {
            return Results.Problem(
                statusCode: StatusCodes.Status415UnsupportedMediaType,
                detail: "The body's charset must be named once and be one of utf-8, utf-16, utf-32, us-ascii or iso-8859-1; JSON is best sent as utf-8.")
                .ExecuteAsync(context);
        }
        if (name != charsets[0].Value)
        {
            charsets[0].Value = name;
            context.Request.ContentType = mediaType.ToString();
        }
        return next(context);
    }

    private static bool IsKnown(StringSegment name)
    {
        if (name.Length == 0)
            return false;
        try
        {
            Encoding.GetEncoding(name.ToString());
            return true;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
