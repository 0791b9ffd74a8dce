namespace OpenChat.SocketIO;

/// <summary>Names the event a <see cref="SocketIOHub"/> method handles, when it is not the method's name in camelCase.</summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = true)]
public sealed class SocketIOEventAttribute(string name) : Attribute
{
    /// <summary>The event name, exactly as clients emit it (<c>"chat message"</c>).</summary>
    public string Name { get; } = name;
}
