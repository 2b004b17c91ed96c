namespace KetamineScheduling.Api.Http;

/// <summary>How every operation is documented for the OpenAPI contract, in one call.</summary>
internal static class EndpointDocs
{
    /// <summary>
    /// Names and summarises an operation and lists the problems it may answer with: 400 as a validation problem
    /// (errors by field), any other status as plain problem details.
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
