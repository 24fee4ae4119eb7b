//! The event queue. Total order: by time, then by when each event was armed, then by the order
//! events were scheduled (a counter), so two events at the same microsecond always run in the
//! order they were armed, the same on every target. An event is armed at the time of the last
//! event taken out, unless fast-forward says otherwise (`push_armed`: an event the full run
//! would have armed later than it is pushed; `docs/fast-forward.md`).

use std::cmp::Ordering;
use std::collections::BinaryHeap;

use crate::time::Time;

/// A heap entry: the ordering key and where the event waits. Events stay put in their slot while
/// the heap moves only these 32 bytes (an event is 60–70 bytes; moving it on every sift step was
/// a fifth of a run's time in wasm).
struct Key {
    t: Time,
    armed: Time,
    seq: u64,
    slot: u32,
}

impl PartialEq for Key {
    fn eq(&self, other: &Self) -> bool {
        (self.t, self.armed, self.seq) == (other.t, other.armed, other.seq)
    }
}
impl Eq for Key {}
impl PartialOrd for Key {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Key {
    fn cmp(&self, other: &Self) -> Ordering {
        // Reversed: BinaryHeap is a max-heap and we want the earliest first.
        (other.t, other.armed, other.seq).cmp(&(self.t, self.armed, self.seq))
    }
}

/// A priority queue of events in simulated time.
pub struct Queue<E> {
    heap: BinaryHeap<Key>,
    /// The events, by slot; `None` for a free slot.
    slots: Vec<Option<E>>,
    /// Free slots, reused last-freed first.
    free: Vec<u32>,
    seq: u64,
    clock: Time,
}

impl<E> Default for Queue<E> {
    fn default() -> Self {
        Queue {
            heap: BinaryHeap::new(),
            slots: Vec::new(),
            free: Vec::new(),
            seq: 0,
            clock: 0,
        }
    }
}

impl<E> Queue<E> {
    /// Schedules `event` at `t`, armed now (at the time of the last event taken out).
    pub fn push(&mut self, t: Time, event: E) {
        self.push_armed(t, self.clock, event);
    }

    /// Schedules `event` at `t` as if armed at `armed` (fast-forward re-creating an event the
    /// full run armed at another time).
    pub fn push_armed(&mut self, t: Time, armed: Time, event: E) {
        let slot = match self.free.pop() {
            Some(slot) => {
                self.slots[slot as usize] = Some(event);
                slot
            }
            None => {
                self.slots.push(Some(event));
                // A queue holds far fewer than 2^32 events at once (memory runs out first).
                u32::try_from(self.slots.len() - 1).expect("fewer than 2^32 pending events")
            }
        };
        self.heap.push(Key {
            t,
            armed,
            seq: self.seq,
            slot,
        });
        self.seq += 1;
    }

    /// When the earliest event is due.
    pub fn peek_time(&self) -> Option<Time> {
        self.heap.peek().map(|k| k.t)
    }

    /// Takes out the earliest event if it is due by `limit`, moving the clock to it.
    pub fn pop_until(&mut self, limit: Time) -> Option<(Time, E)> {
        if self.heap.peek()?.t > limit {
            return None;
        }
        let key = self.heap.pop()?;
        self.clock = key.t;
        self.free.push(key.slot);
        let event = self.slots[key.slot as usize].take()?;
        Some((key.t, event))
    }

    /// Every pending event with its time, in no particular order.
    pub fn iter(&self) -> impl Iterator<Item = (Time, &E)> {
        self.heap
            .iter()
            .filter_map(|k| Some((k.t, self.slots[k.slot as usize].as_ref()?)))
    }

    /// How many events are pending.
    pub fn len(&self) -> usize {
        self.heap.len()
    }

    /// Whether no event is pending.
    pub fn is_empty(&self) -> bool {
        self.heap.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_time_events_keep_scheduling_order() {
        let mut q = Queue::default();
        q.push(5, "b");
        q.push(1, "a");
        q.push(5, "c");
        q.push(5, "d");
        let order: Vec<_> = std::iter::from_fn(|| q.pop_until(10).map(|(_, e)| e)).collect();
        assert_eq!(order, ["a", "b", "c", "d"]);
        assert!(q.is_empty());
    }

    #[test]
    fn same_time_events_run_in_arming_order() {
        let mut q = Queue::default();
        q.push(1, "first");
        assert_eq!(q.pop_until(1), Some((1, "first")));
        // Pushed first but armed at 3: runs after an event at 9 armed now (at 1).
        q.push_armed(9, 3, "late");
        q.push(9, "early");
        q.push_armed(9, 0, "earliest");
        let order: Vec<_> = std::iter::from_fn(|| q.pop_until(10).map(|(_, e)| e)).collect();
        assert_eq!(order, ["earliest", "early", "late"]);
    }

    #[test]
    fn pop_until_stops_at_the_limit() {
        let mut q = Queue::default();
        q.push(5, 1);
        assert!(q.pop_until(4).is_none());
        assert_eq!(q.pop_until(5), Some((5, 1)));
    }
}
