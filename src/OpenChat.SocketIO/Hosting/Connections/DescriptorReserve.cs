using Microsoft.Win32.SafeHandles;

namespace OpenChat.SocketIO.Hosting;

/// <summary>
/// A few descriptors held open (on <c>/dev/null</c>) for the moment the process runs out anyway: at the
/// open-file limit the runtime cannot start a thread (it reports OutOfMemory and the process dies), load an
/// assembly or read <c>/proc</c>. Releasing the reserve gives it room while the ceiling is lowered.
/// </summary>
internal sealed class DescriptorReserve : IDisposable
{
    private readonly Lock _sync = new();
    private readonly int _size;
    private List<SafeFileHandle>? _held;

    public DescriptorReserve(int size)
    {
        _size = size;
        TryAcquire();
    }

    public int Size => _size;

    public bool IsHeld
    {
        get
        {
            lock (_sync)
            {
                return _held is not null;
            }
        }
    }

    /// <summary>Opens the reserve again; false when descriptors are still short (nothing is kept then).</summary>
    public bool TryAcquire()
    {
        if (_size == 0 || OperatingSystem.IsWindows())
        {
            return false;
        }

        lock (_sync)
        {
            if (_held is not null)
            {
                return true;
            }

            var handles = new List<SafeFileHandle>(_size);
            try
            {
                while (handles.Count < _size)
                {
                    handles.Add(File.OpenHandle("/dev/null"));
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                handles.ForEach(static h => h.Dispose());
                return false;
            }

            _held = handles;
            return true;
        }
    }

    /// <summary>Closes the reserve so the runtime has descriptors to work with; false when it was not held.</summary>
    public bool Release()
    {
        List<SafeFileHandle>? held;
        lock (_sync)
        {
            held = _held;
            _held = null;
        }

        held?.ForEach(static h => h.Dispose());
        return held is not null;
    }

    public void Dispose() => Release();
}
