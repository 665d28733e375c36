using Scalar.AspNetCore;

namespace TaskFlow.Api.Infrastructure;

public static class ApiReferenceExtensions
{
    /// <summary>
    /// The OpenAPI document (/openapi/v1.json) and the Scalar reference page (/scalar/v1), served unless
    /// ApiReference:Enabled is false. Chosen by configuration rather than by environment: the API is there to be called,
    /// the page is where a newcomer tries it, and `up`, the benchmark and a deployment all run as Production.
    /// </summary>
    public static WebApplication MapTaskFlowApiReference(this WebApplication app)
    {
        if (!app.Configuration.GetValue("ApiReference:Enabled", defaultValue: true))
            return app;
        app.MapOpenApi();
        app.MapScalarApiReference();
        return app;
    }
}
