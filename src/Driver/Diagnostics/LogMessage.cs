using System.Collections;
using System.Globalization;

namespace Mongo.Driver.Diagnostics;

/// <summary>
/// One structured log message of the logging specs: the spec's <c>message</c> text plus its key-value fields (null
/// values omitted, as the logging spec asks), and the spec's unstructured sentence as <see cref="ToString"/>.
/// </summary>
/// <remarks>
/// <c>[LoggerMessage]</c> source generation cannot omit absent optional fields nor carry a <c>message</c> field beside its
/// template, both of which the specs' structured form requires, so messages are built here; only when the
/// component's logger is enabled.
/// </remarks>
internal sealed class LogMessage : IReadOnlyList<KeyValuePair<string, object?>>
{
    private readonly List<KeyValuePair<string, object?>> _fields = new(10);
    private string? _text;

    public LogMessage(string message)
    {
        Message = message;
        _fields.Add(new("message", message));
    }

    public string Message { get; }

    public int Count => _fields.Count;

    public KeyValuePair<string, object?> this[int index] => _fields[index];

    public LogMessage Add(string key, object? value)
    {
        if (value is not null)
        {
            _fields.Add(new(key, value));
        }

        return this;
    }

    /// <summary>serverHost and serverPort (no port for a unix socket).</summary>
    public LogMessage Server(MongoServerAddress address)
    {
        Add("serverHost", address.Host);
        return address.IsUnixSocket ? this : Add("serverPort", address.Port);
    }

    public LogMessage Text(string text)
    {
        _text = text;
        return this;
    }

    public object? Get(string key)
    {
        foreach (KeyValuePair<string, object?> field in _fields)
        {
            if (field.Key == key)
            {
                return field.Value;
            }
        }

        return null;
    }

    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator() => _fields.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public override string ToString() => _text ?? Message;

    internal static string Ms(TimeSpan duration) => duration.TotalMilliseconds.ToString("0.###", CultureInfo.InvariantCulture);

    internal static string Endpoint(MongoServerAddress address) =>
        address.IsUnixSocket ? address.Host : address.Host + ":" + address.Port.ToString(CultureInfo.InvariantCulture);
}
