using System.Numerics;
using Engine.Native.Interop;

namespace Engine.Native.Tun;

/// <summary>
/// Asks the kernel for a set of offloads and settles for what it grants. TUNSETOFFLOAD is all
/// or nothing: one bit the kernel does not know (USO before 6.2, or anything newer) fails the
/// whole call with EINVAL and changes nothing. So the full set is tried once, and on EINVAL
/// the offloads are added one at a time, each kept if the kernel takes it. Dependencies are
/// met by the order: checksum first, TSO before TSO_ECN, USO4 and USO6 as one step.
/// </summary>
internal static class TunOffloadNegotiation
{
    private const TunOffloads UsoPair = TunOffloads.Uso4 | TunOffloads.Uso6;

    /// <param name="requested">The offloads wanted.</param>
    /// <param name="device">The device's name, for errors.</param>
    /// <param name="trySet">Sets exactly the given offloads; returns 0, or the errno of the refusal.</param>
    /// <returns>The offloads the device now has.</returns>
    public static TunOffloads Negotiate(TunOffloads requested, string device, Func<TunOffloads, int> trySet)
    {
        requested &= ~TunOffloads.Ufo;
        if (Accepted(trySet(requested), requested, device))
            return requested;

        var granted = TunOffloads.None;
        var pending = requested;
        while (pending != TunOffloads.None)
        {
            var step = (TunOffloads)(1u << BitOperations.TrailingZeroCount((uint)pending));
            if ((step & UsoPair) != 0 && (requested & UsoPair) == UsoPair)
                step = UsoPair;
            pending &= ~step;
            if (Accepted(trySet(granted | step), granted | step, device))
                granted |= step;
        }

        // A refused call changes nothing, so the last accepted one set exactly `granted`; if
        // none was accepted the device still has what it had (a persistent device may keep an
        // earlier owner's offloads), so clear them.
        if (granted == TunOffloads.None && !Accepted(trySet(TunOffloads.None), TunOffloads.None, device))
            throw new NativeException("clear offloads", device, Errno.EINVAL);
        return granted;
    }

    private static bool Accepted(int errno, TunOffloads offloads, string device) => errno switch
    {
        0 => true,
        Errno.EINVAL => false,
        _ => throw new NativeException($"set offloads 0x{(uint)offloads:x}", device, errno),
    };
}
