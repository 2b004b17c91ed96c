using KetamineScheduling.Domain.Clinical;

namespace KetamineScheduling.Tests.Domain.Clinical;

public sealed class IdentifierTests
{
    [Theory]
    [InlineData("1234567893")]
    [InlineData("1000000004")]
    [InlineData("2000000002")]
    public void An_npi_with_the_right_check_digit_is_valid(string npi) =>
        Assert.True(Npi.IsValid(npi));

    [Theory]
    [InlineData("1234567890")]
    [InlineData("1234567894")]
    [InlineData("2134567893")]
    [InlineData("123456789")]
    [InlineData("12345678931")]
    [InlineData("12345678a3")]
    [InlineData(" 1234567893")]
    [InlineData("１２３４５６７８９３")]
    [InlineData("")]
    [InlineData(null)]
    public void An_npi_with_a_wrong_check_digit_or_not_ten_digits_is_invalid(string? npi) =>
        Assert.False(Npi.IsValid(npi));

    [Theory]
    [InlineData("F33.2")]
    [InlineData("F43.10")]
    [InlineData("G89.29")]
    [InlineData("F32")]
    [InlineData("F32.A")]
    [InlineData("T40.4X1A")]
    public void An_icd10_cm_code_has_the_shape(string code) =>
        Assert.True(Icd10Cm.HasShape(code));

    [Theory]
    [InlineData("F3")]
    [InlineData("33.2")]
    [InlineData("F33.")]
    [InlineData("F332")]
    [InlineData("f33.2")]
    [InlineData("FF3.2")]
    [InlineData("F33.21234")]
    [InlineData("F33-2")]
    [InlineData("F33.2 ")]
    [InlineData("")]
    [InlineData(null)]
    public void A_code_without_the_icd10_cm_shape_is_refused(string? code) =>
        Assert.False(Icd10Cm.HasShape(code));
}
