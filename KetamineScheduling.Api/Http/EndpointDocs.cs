namespace KetamineScheduling.Api.Http;

/// <summary>How every operation is documented for the OpenAPI contract, in one call.</summary>
internal static class EndpointDocs
{
    /// <summary>
    /// Names and summarises an operation. A handler's outcomes come from its signature: each arm of its
    /// <c>Results&lt;...&gt;</c>, such as <see cref="NotFoundProblem"/>, declares its status. <paramref name="problems"/>
    /// lists only what no arm shows, such as a 409 that only a <see cref="ConflictException"/> answers. 400 is a
    /// validation problem (errors by field), any other status plain problem details.
    /// </summary>
    public static RouteHandlerBuilder Describe(this RouteHandlerBuilder builder, string name, string summary, params int[] problems)
    {
        builder.WithName(name).WithSummary(summary);
        foreach (var status in problems)
        {
            _ = status == StatusCodes.Status400BadRequest ? builder.ProducesValidationProblem() : builder.ProducesProblem(status);
        }

        return builder;
    }
}
