using System.Collections.Immutable;
using KetamineScheduling.Domain.Clinical;
using NodaTime;

namespace KetamineScheduling.Tests.Domain.Clinical;

public sealed class IntakeTests
{
    private static readonly LocalDate Today = new(2027, 1, 4);

    [Fact]
    public void A_complete_intake_with_only_relative_contraindications_can_be_approved() =>
        Assert.Empty(Check(contraindications: [Contraindication.ControlledHypertension, Contraindication.Glaucoma, Contraindication.Breastfeeding]));

    [Fact]
    public void Consent_signed_today_is_accepted_and_consent_dated_tomorrow_is_not()
    {
        Assert.Empty(Check(consentSignedOn: Today));
        Assert.Equal<FieldProblem>(
            [new FieldProblem("consentSignedOn", "Consent must be signed on or before today (2027-01-04); it says 2027-01-05.")],
            Check(consentSignedOn: Today.PlusDays(1)));
    }

    [Fact]
    public void Every_missing_step_is_named_by_its_field() =>
        Assert.Equal(
            ["historyReviewed", "medicationsReviewed", "indication", "prescriberId"],
            Check(historyReviewed: false, medicationsReviewed: false, hasIndication: false, prescriberActive: false).Select(r => r.Field));

    [Fact]
    public void Every_missing_step_says_what_the_approval_needs() =>
        Assert.Equal<FieldProblem>(
            [
                new("historyReviewed", "The medical history must be reviewed before approval."),
                new("medicationsReviewed", "The medications must be reviewed before approval."),
                new("indication", "The plan needs an indication before approval."),
                new("prescriberId", "The prescriber must be an active member of staff."),
            ],
            Check(historyReviewed: false, medicationsReviewed: false, hasIndication: false, prescriberActive: false));

    [Fact]
    public void Absolute_contraindications_refuse_approval_and_are_named_once_each() =>
        Assert.Equal<FieldProblem>(
            [new FieldProblem("contraindications", "Ketamine is contraindicated: pregnancy, active-psychosis.")],
            Check(contraindications: [Contraindication.ActivePsychosis, Contraindication.Glaucoma, Contraindication.Pregnancy, Contraindication.ActivePsychosis]));

    [Fact]
    public void Exactly_the_five_issue_contraindications_are_absolute() =>
        Assert.Equal(
            ["uncontrolled-hypertension", "pregnancy", "active-psychosis", "ketamine-allergy", "elevated-intracranial-pressure"],
            Enum.GetValues<Contraindication>().Where(c => c.IsAbsolute()).Select(c => c.Code()));

    [Theory]
    [InlineData("major-depressive-disorder", "phq9")]
    [InlineData("treatment-resistant-depression", "phq9")]
    [InlineData("bipolar-depression", "phq9")]
    [InlineData("suicidal-ideation", "phq9")]
    [InlineData("generalized-anxiety-disorder", "gad7")]
    [InlineData("ocd", "gad7")]
    [InlineData("ptsd", "pcl5")]
    [InlineData("chronic-pain", "pain-nrs")]
    [InlineData("other", "phq9")]
    public void A_condition_has_a_default_measure(string condition, string measure)
    {
        Assert.True(WireCodes.TryParse<Condition>(condition, out var parsed));
        Assert.Equal(measure, parsed.DefaultMeasure().Code());
    }

    private static ImmutableArray<FieldProblem> Check(
        bool historyReviewed = true,
        bool medicationsReviewed = true,
        LocalDate? consentSignedOn = null,
        bool hasIndication = true,
        bool prescriberActive = true,
        Contraindication[]? contraindications = null) =>
        IntakeRules.CheckApproval(historyReviewed, medicationsReviewed, consentSignedOn ?? Today.PlusDays(-7), Today, hasIndication, prescriberActive, contraindications ?? []);
}
