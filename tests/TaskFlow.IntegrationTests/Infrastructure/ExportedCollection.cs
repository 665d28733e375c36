using System.Collections;

namespace TaskFlow.IntegrationTests.Infrastructure;

/// <summary>
/// What an in-memory exporter handed over, readable by a spec while the hosts' threads are still exporting into it
/// (the exporter only adds; a plain list would throw under a concurrent read).
/// </summary>
public sealed class ExportedCollection<T> : ICollection<T>
{
    private readonly List<T> items = [];
    private readonly Lock sync = new();

    public IReadOnlyList<T> Snapshot()
    {
        lock (sync)
            return [.. items];
    }

    public int Count
    {
        get
        {
            lock (sync)
                return items.Count;
        }
    }

    public bool IsReadOnly => false;

    public void Add(T item)
    {
        lock (sync)
            items.Add(item);
    }

    public void Clear()
    {
        lock (sync)
            items.Clear();
    }

    public bool Contains(T item) => Snapshot().Contains(item);

    public void CopyTo(T[] array, int arrayIndex) => Snapshot().ToList().CopyTo(array, arrayIndex);

    public bool Remove(T item)
    {
        lock (sync)
            return items.Remove(item);
    }

    public IEnumerator<T> GetEnumerator() => Snapshot().GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
