using Xunit;

namespace Mongo.Driver.Tests.Configuration;

/// <summary>Parse errors and warnings never echo a password or a mechanism property's value.</summary>
public sealed class UriSecretTests
{
    private const string Secret = "s3cr3tPiece";

    private static void AssertNoSecret(string uri)
    {
        var ex = Assert.Throws<MongoConfigurationException>(() => MongoUrl.Parse(uri));
        Assert.DoesNotContain(Secret, ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, ex.ToString(), StringComparison.Ordinal);

        var lenient = Record.Exception(() => MongoUrl.Parse(uri, new MongoUrlParseOptions { IgnoreInvalidValues = true }));
        if (lenient is null)
        {
            var url = MongoUrl.Parse(uri, new MongoUrlParseOptions { IgnoreInvalidValues = true });
            Assert.All(url.Warnings, w => Assert.DoesNotContain(Secret, w, StringComparison.Ordinal));
        }
        else
        {
            Assert.DoesNotContain(Secret, lenient.Message, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("mongodb://user:pa/" + Secret + "@localhost/")]            // '/' in the password: was "Invalid port"
    [InlineData("mongodb://user:" + Secret + "/x@localhost:27017/db")]
    [InlineData("mongodb://user:pa?" + Secret + "@localhost/")]            // '?' in the password: was an option named after it
    [InlineData("mongodb://us/" + Secret + ":pw@localhost/")]               // '/' in the user name
    public void An_unescaped_delimiter_in_the_user_information_is_reported_without_it(string uri)
    {
        AssertNoSecret(uri);
        var ex = Assert.Throws<MongoConfigurationException>(() => MongoUrl.Parse(uri));
        Assert.Contains("percent-encode", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("mongodb://localhost/?authMechanism=MONGODB-AWS&authMechanismProperties=AWS_SESSION_TOKEN:abc," + Secret)]
    [InlineData("mongodb://localhost/?authMechanism=MONGODB-AWS&authMechanismProperties=" + Secret)]
    public void Mechanism_property_values_are_not_echoed(string uri) => AssertNoSecret(uri);

    [Fact]
    public void An_at_sign_in_an_option_value_is_still_fine()
    {
        var url = MongoUrl.Parse("mongodb://localhost/db?appName=me@example");
        Assert.Equal("me@example", url.ApplicationName);
        Assert.Equal("db", url.DatabaseName);
    }

    [Fact]
    public void A_percent_encoded_password_with_delimiters_parses()
    {
        var url = MongoUrl.Parse("mongodb://user:pa%2F" + Secret + "%3F%40@localhost/");
        Assert.Equal("pa/" + Secret + "?@", url.Password);
        Assert.DoesNotContain(Secret, url.ToString(), StringComparison.Ordinal);
    }
}
