namespace OpenChat.SocketIO;

/// <summary>How much the admin namespace tells the UI (Node's <c>mode</c> option).</summary>
public enum AdminUIMode
{
    /// <summary>Every socket, room change and event, plus the statistics.</summary>
    Development,

    /// <summary>Only the periodic statistics and aggregated counts: cheaper on a busy server.</summary>
    Production,
}
