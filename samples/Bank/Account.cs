using Mongo.Bson.Serialization;

namespace Bank;

/// <summary>A bank account. Balances are decimals (stored as Decimal128), so sums are exact.</summary>
public sealed class Account
{
    /// <summary>A random account number, e.g. <c>ACC-4F2A91</c>.</summary>
    public string Id { get; set; } = "";

    public string Owner { get; set; } = "";

    public decimal Balance { get; set; }
}

/// <summary>An account that was closed: its last balance is kept, so the bank's total can still be checked.</summary>
public sealed class ClosedAccount
{
    public string Id { get; set; } = "";

    public decimal Balance { get; set; }

    public DateTime ClosedAt { get; set; }
}

/// <summary>The generated serializers for the bank's documents (no reflection at run time).</summary>
[BsonSerializable(typeof(Account))]
[BsonSerializable(typeof(ClosedAccount))]
[BsonSourceGenerationOptions(NamingConvention = BsonNamingConvention.CamelCase)]
public sealed partial class BankBson : BsonSerializerContext;
