using System.Reflection;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace KetamineScheduling.Api.Http;

/// <summary>A resource whose <see cref="Version"/> goes up with every committed change: a plan, a session.</summary>
internal interface IVersioned
{
    /// <summary>The version the response shows; its ETag is this number in quotes.</summary>
    int Version { get; }
}

/// <summary>
/// Optimistic concurrency over HTTP (RFC 9110 section 13): responses carry the resource's version as a strong
/// ETag, and changes may send it back in <c>If-Match</c> so they never overwrite a change the client has not seen.
/// </summary>
internal static class Preconditions
{
    /// <summary>The strong ETag for a version: version 3 is <c>"3"</c>, quotes included.</summary>
    public static string ETag(int version) => $"\"{version}\"";

    /// <summary>
    /// Registers <see cref="ConcurrencyOptions"/>, read from the <c>Concurrency</c> section:
    /// <c>Concurrency:RequireIfMatch</c> (default false) makes every change without <c>If-Match</c> a 428.
    /// </summary>
    public static WebApplicationBuilder AddPreconditions(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<ConcurrencyOptions>().BindConfiguration(ConcurrencyOptions.Section);
        return builder;
    }

    /// <summary>
    /// Sends <c>ETag</c> on every successful response of the group's endpoints whose body is one versioned
    /// resource (a GET, or the result of a change to it); lists get none.
    /// </summary>
    public static RouteGroupBuilder WithETags(this RouteGroupBuilder group)
    {
        group.AddEndpointFilter(async (context, next) =>
        {
            var result = await next(context);
            var inner = result is INestedHttpResult nested ? nested.Result : result;
            if (inner is IValueHttpResult { Value: IVersioned resource } and IStatusCodeHttpResult { StatusCode: >= 200 and < 300 })
            {
                context.HttpContext.Response.Headers.ETag = ETag(resource.Version);
            }

            return result;
        });
        group.WithMetadata(new SendsETag());
        return group;
    }

    /// <summary>Marks endpoints that send <c>ETag</c>, so the OpenAPI document can say so.</summary>
    internal sealed class SendsETag;
}

/// <summary>Settings for optimistic concurrency, from the <c>Concurrency</c> configuration section.</summary>
public sealed class ConcurrencyOptions
{
    public const string Section = "Concurrency";

    /// <summary>When true, a change without <c>If-Match</c> is refused with 428. Default false: If-Match is optional.</summary>
    public bool RequireIfMatch { get; set; }
}

/// <summary>
/// The <c>If-Match</c> header of a change, as a handler parameter. The handler calls <see cref="Refusal"/> with the
/// version it read inside its write transaction, so the check and the write see the same row.
/// </summary>
/// <remarks>
/// <c>If-Match: "3"</c> matches version 3 only (strong comparison, so weak tags never match); a list matches
/// when any tag does; <c>If-Match: *</c> matches any version of a resource that exists.
/// </remarks>
internal sealed class IfMatch : IEndpointParameterMetadataProvider
{
    private readonly IList<EntityTagHeaderValue>? tags;
    private readonly bool malformed;
    private readonly bool required;

    private IfMatch(IList<EntityTagHeaderValue>? tags, bool malformed, bool required)
    {
        this.tags = tags;
        this.malformed = malformed;
        this.required = required;
    }

    /// <summary>Reads the header; minimal APIs call this to bind the parameter.</summary>
    public static ValueTask<IfMatch?> BindAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var required = context.RequestServices.GetRequiredService<IOptions<ConcurrencyOptions>>().Value.RequireIfMatch;
        var values = context.Request.Headers.IfMatch;
        if (values.Count == 0)
        {
            return ValueTask.FromResult<IfMatch?>(new IfMatch(null, false, required));
        }

        var parsed = EntityTagHeaderValue.TryParseStrictList(values, out var tags) && tags.Count > 0;
        return ValueTask.FromResult<IfMatch?>(new IfMatch(parsed ? tags : null, !parsed, required));
    }

    /// <summary>
    /// Why the change must not go ahead against <paramref name="currentVersion"/>: 400 for a malformed header,
    /// 428 when the header is required and missing, 412 when no tag matches; null when it may go ahead.
    /// <paramref name="required"/> requires the header on this change whatever the configuration says.
    /// </summary>
    public IfMatchProblem? Refusal(int currentVersion, bool required = false)
    {
        if (malformed)
        {
            return new(Problems.BadHeader(HeaderNames.IfMatch, $"Must be * or one or more quoted entity tags, such as {Preconditions.ETag(currentVersion)}."));
        }

        if (tags is null)
        {
            return required || this.required ? new(Problems.PreconditionRequired()) : null;
        }

        var current = new EntityTagHeaderValue(Preconditions.ETag(currentVersion));
        return tags.Any(t => t.Equals(EntityTagHeaderValue.Any) || t.Compare(current, useStrongComparison: true))
            ? null
            : new(Problems.PreconditionFailed(currentVersion));
    }

    /// <summary>Declares the 412 and 428 answers, and marks the endpoint as taking If-Match for the OpenAPI document.</summary>
    public static void PopulateMetadata(ParameterInfo parameter, EndpointBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Metadata.Add(new ProducesResponseTypeMetadata(StatusCodes.Status412PreconditionFailed, typeof(PreconditionFailedProblem), ["application/problem+json"]));
        builder.Metadata.Add(new ProducesResponseTypeMetadata(StatusCodes.Status428PreconditionRequired, typeof(Microsoft.AspNetCore.Mvc.ProblemDetails), ["application/problem+json"]));
        builder.Metadata.Add(new Accepted());
    }

    /// <summary>Marks endpoints that take If-Match.</summary>
    internal sealed class Accepted;
}

/// <summary>
/// The 412 problem: the version the resource is at now, and the ETag to send in If-Match once the client has seen
/// that version. Only the OpenAPI document uses this type; Problems.PreconditionFailed writes the problem.
/// </summary>
internal sealed class PreconditionFailedProblem : Microsoft.AspNetCore.Mvc.ProblemDetails
{
    /// <summary>The resource's version now.</summary>
    public int CurrentVersion { get; init; }

    /// <summary>The current version's ETag, such as "3".</summary>
    [System.Text.Json.Serialization.JsonPropertyName("etag")]
    public string ETag { get; init; } = "";
}
