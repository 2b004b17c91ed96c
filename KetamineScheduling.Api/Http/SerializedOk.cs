using System.Reflection;
using Microsoft.AspNetCore.Http.Metadata;

namespace KetamineScheduling.Api.Http;

/// <summary>
/// A 200 answer holding a <typeparamref name="TValue"/> already written as JSON, for answers kept in memory
/// and sent again and again: writing the bytes costs nothing next to serializing them. Documented in OpenAPI
/// exactly as <see cref="Microsoft.AspNetCore.Http.HttpResults.Ok{TValue}"/> is.
/// </summary>
/// <param name="json">The UTF-8 JSON of a <typeparamref name="TValue"/>, written with the API's JSON options.</param>
internal sealed class SerializedOk<TValue>(ReadOnlyMemory<byte> json) : IResult, IStatusCodeHttpResult, IContentTypeHttpResult, IEndpointMetadataProvider
{
    int? IStatusCodeHttpResult.StatusCode => StatusCodes.Status200OK;

    /// <summary>What <see cref="Microsoft.AspNetCore.Http.HttpResults.Ok{TValue}"/> sends too.</summary>
    string IContentTypeHttpResult.ContentType => JsonContentType;

    private const string JsonContentType = "application/json; charset=utf-8";

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        httpContext.Response.StatusCode = StatusCodes.Status200OK;
        httpContext.Response.ContentType = JsonContentType;
        httpContext.Response.ContentLength = json.Length;
        await httpContext.Response.BodyWriter.WriteAsync(json, httpContext.RequestAborted);
    }

    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Metadata.Add(new ProducesResponseTypeMetadata(StatusCodes.Status200OK, typeof(TValue), ["application/json"]));
    }
}
