namespace Mongo.InMemory.Wire;

/// <summary>
/// A message the server cannot accept. <see cref="CloseConnection"/> is set when the byte stream can no longer be
/// trusted to be in sync (bad framing), so the only safe answer is to drop the connection; otherwise the server
/// answers with an error reply in the server's shape (<see cref="Code"/>/<see cref="CodeName"/>).
/// </summary>
internal sealed class WireProtocolException : Exception
{
    public WireProtocolException(string message, int code = 9, string codeName = "FailedToParse", bool closeConnection = false)
        : base(message)
    {
        Code = code;
        CodeName = codeName;
        CloseConnection = closeConnection;
    }

    public int Code { get; }

    public string CodeName { get; }

    public bool CloseConnection { get; }
}
