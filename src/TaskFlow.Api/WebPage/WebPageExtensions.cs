using Microsoft.Net.Http.Headers;

namespace TaskFlow.Api.WebPage;

/// <summary>The web page: plain files from wwwroot, loaded by the browser as they are.</summary>
public static class WebPageExtensions
{
    // The page renders every user text with textContent; the policy is the second wall: no inline script, no
    // other origin, so an injected tag could neither run nor call out.
    private const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
        "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'";

    public static WebApplication UseTaskFlowWebPage(this WebApplication app)
    {
        app.UseDefaultFiles();
        app.UseStaticFiles(new StaticFileOptions
        {
            OnPrepareResponse = context =>
            {
                var headers = context.Context.Response.Headers;
                headers[HeaderNames.ContentSecurityPolicy] = ContentSecurityPolicy;
                headers[HeaderNames.XContentTypeOptions] = "nosniff";
                headers["Referrer-Policy"] = "no-referrer";
                // Files are not fingerprinted: a browser asks again on each load and gets 304 when nothing changed.
                headers[HeaderNames.CacheControl] = "no-cache";
            },
        });
        return app;
    }
}
