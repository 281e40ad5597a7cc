using System.Text.Json;
using Xunit;

namespace Mongo.Driver.Tests.Specs;

/// <summary>auth/tests/legacy: connection string to <see cref="MongoCredential"/>.</summary>
public sealed class AuthSpecTests
{
    public static TheoryData<string, int, string> Cases => SpecJson.Cases("auth/tests/legacy");

    [SkippableTheory]
    [MemberData(nameof(Cases))]
    public void Credential(string file, int index, string description)
    {
        var test = SpecJson.Load(file, index, description);
        string uri = test.GetProperty("uri").GetString()!;
        if (!test.GetProperty("valid").GetBoolean())
        {
            var ex = Assert.Throws<MongoConfigurationException>(() => MongoUrl.Parse(uri));
            Assert.DoesNotContain(":password@", ex.Message, StringComparison.Ordinal);
            return;
        }

        var url = MongoUrl.Parse(uri);
        if (test.IsNull("credential"))
        {
            Assert.Null(url.Credential);
            return;
        }

        var expected = test.GetProperty("credential");
        var credential = url.Credential;
        Assert.NotNull(credential);
        if (expected.TryGetProperty("username", out var username))
        {
            SpecJson.AssertEqual(username, credential.Username, "username");
        }

        if (expected.TryGetProperty("password", out var password))
        {
            SpecJson.AssertEqual(password, credential.Password, "password");
        }

        if (expected.TryGetProperty("source", out var source))
        {
            SpecJson.AssertEqual(source, credential.Source, "source");
        }

        if (expected.TryGetProperty("mechanism", out var mechanism))
        {
            SpecJson.AssertEqual(mechanism, credential.Mechanism, "mechanism");
        }

        if (expected.TryGetProperty("mechanism_properties", out var properties))
        {
            if (properties.ValueKind == JsonValueKind.Null)
            {
                Assert.Empty(credential.MechanismProperties);
            }
            else
            {
                // A subset must match; other (default) properties may exist.
                foreach (var p in properties.EnumerateObject())
                {
                    Assert.True(credential.MechanismProperties.TryGetValue(p.Name, out string? value), $"missing property {p.Name}");
                    SpecJson.AssertEqual(p.Value, value, "mechanism_properties." + p.Name);
                }
            }
        }

        if (credential.Password is { Length: > 0 } secret)
        {
            string text = credential.ToString();
            Assert.Contains("<redacted>", text, StringComparison.Ordinal);
            Assert.DoesNotContain(secret, text.Replace("password: <redacted>", string.Empty, StringComparison.Ordinal), StringComparison.Ordinal);
            Assert.DoesNotContain(secret, url.ToString(), StringComparison.Ordinal);
        }
    }
}
