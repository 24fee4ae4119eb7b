//! The trace hash (`docs/trace.md`): FNV-1a 64 over a compact binary encoding of every event,
//! written by a small serde [`Serializer`](serde::Serializer) straight into the hasher, so hashing allocates
//! nothing and formats no numbers. JSON is rendered only when someone asks for the text.
//!
//! The encoding follows the types of [`Stamped`] and [`Event`](crate::trace::Event) (`#[derive(Serialize)]`), so a
//! new event variant or field is covered without touching this file. Every value's bytes are
//! self-delimiting given its type (lengths and variant indices come first), so the concatenation
//! of two events' bytes decodes one way only: distinct events give distinct bytes.

use std::fmt;

use serde::ser::{self, Serialize};

use crate::trace::Stamped;

/// FNV-1a 64 offset basis.
const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
/// FNV-1a 64 prime.
const FNV_PRIME: u64 = 0x0100_0000_01b3;

/// FNV-1a, 64-bit: tiny, stable and identical on every target.
#[derive(Clone, Copy, Debug)]
pub struct TraceHasher(u64);

impl Default for TraceHasher {
    fn default() -> Self {
        TraceHasher(FNV_OFFSET)
    }
}

impl TraceHasher {
    /// Feeds the encoding of one event ([`encode`] gives the same bytes).
    pub fn event(&mut self, event: &Stamped) {
        // The sink cannot fail and every event type is serializable.
        let _ = event.serialize(Encoder(self));
    }

    /// Feeds bytes.
    pub fn bytes(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.byte(b);
        }
    }

    /// The hash as a number.
    pub fn value(&self) -> u64 {
        self.0
    }

    /// The hash as 16 hex digits.
    pub fn hex(&self) -> String {
        format!("{:016x}", self.0)
    }
}

/// The bytes the hash is computed over for one event (documentation and tests; the hasher
/// never builds them).
pub fn encode(event: &Stamped) -> Vec<u8> {
    let mut out = Vec::new();
    let _ = event.serialize(Encoder(&mut out));
    out
}

/// Where the encoder's bytes go.
trait Sink {
    fn byte(&mut self, b: u8);
}

impl Sink for TraceHasher {
    #[inline(always)]
    fn byte(&mut self, b: u8) {
        self.0 = (self.0 ^ b as u64).wrapping_mul(FNV_PRIME);
    }
}

impl Sink for Vec<u8> {
    fn byte(&mut self, b: u8) {
        self.push(b);
    }
}

/// Never produced: the sink cannot fail, but serde needs an error type.
#[derive(Debug)]
pub struct Never;

impl fmt::Display for Never {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("unsupported value in a trace event")
    }
}

impl std::error::Error for Never {}

impl ser::Error for Never {
    fn custom<T: fmt::Display>(_: T) -> Self {
        Never
    }
}

/// Writes values as bytes into a sink: unsigned integers as LEB128, signed ones zigzagged, `bool`
/// as one byte, `None`/`Some` as 0/1 then the value, enum variants as their index (declaration
/// order) then their fields, strings and sequences as their length then their items, floats as
/// their 8 IEEE bytes (little-endian), structs and tuples as their fields in order.
struct Encoder<'s, S: Sink>(&'s mut S);

impl<S: Sink> Encoder<'_, S> {
    fn uint(&mut self, mut v: u64) {
        loop {
            let low = (v & 0x7f) as u8;
            v >>= 7;
            if v == 0 {
                self.0.byte(low);
                return;
            }
            self.0.byte(low | 0x80);
        }
    }

    fn int(&mut self, v: i64) {
        self.uint(((v << 1) ^ (v >> 63)) as u64);
    }

    fn raw(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0.byte(b);
        }
    }

    fn reborrow(&mut self) -> Encoder<'_, S> {
        Encoder(&mut *self.0)
    }
}

/// The integer methods: widened without loss, then written as LEB128 (`uint`) or zigzag (`int`).
macro_rules! integers {
    ($($method:ident($ty:ty) => $write:ident),+ $(,)?) => {
        $(fn $method(mut self, v: $ty) -> Result<(), Never> {
            self.$write(v.into());
            Ok(())
        })+
    };
}

impl<S: Sink> ser::Serializer for Encoder<'_, S> {
    type Ok = ();
    type Error = Never;
    type SerializeSeq = Self;
    type SerializeTuple = Self;
    type SerializeTupleStruct = Self;
    type SerializeTupleVariant = Self;
    type SerializeMap = Self;
    type SerializeStruct = Self;
    type SerializeStructVariant = Self;

    fn serialize_bool(self, v: bool) -> Result<(), Never> {
        self.0.byte(v as u8);
        Ok(())
    }
    integers! {
        serialize_i8(i8) => int, serialize_i16(i16) => int, serialize_i32(i32) => int,
        serialize_i64(i64) => int, serialize_u8(u8) => uint, serialize_u16(u16) => uint,
        serialize_u32(u32) => uint, serialize_u64(u64) => uint, serialize_char(char) => uint,
    }
    fn serialize_f32(self, v: f32) -> Result<(), Never> {
        self.serialize_f64(v.into())
    }
    fn serialize_f64(mut self, v: f64) -> Result<(), Never> {
        self.raw(&v.to_bits().to_le_bytes());
        Ok(())
    }
    fn serialize_str(mut self, v: &str) -> Result<(), Never> {
        self.uint(v.len() as u64);
        self.raw(v.as_bytes());
        Ok(())
    }
    fn serialize_bytes(mut self, v: &[u8]) -> Result<(), Never> {
        self.uint(v.len() as u64);
        self.raw(v);
        Ok(())
    }
    fn serialize_none(self) -> Result<(), Never> {
        self.0.byte(0);
        Ok(())
    }
    fn serialize_some<T: ?Sized + Serialize>(self, value: &T) -> Result<(), Never> {
        self.0.byte(1);
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<(), Never> {
        Ok(())
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<(), Never> {
        Ok(())
    }
    fn serialize_unit_variant(
        mut self,
        _: &'static str,
        i: u32,
        _: &'static str,
    ) -> Result<(), Never> {
        self.uint(i.into());
        Ok(())
    }
    fn serialize_newtype_struct<T: ?Sized + Serialize>(
        self,
        _: &'static str,
        value: &T,
    ) -> Result<(), Never> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: ?Sized + Serialize>(
        mut self,
        _: &'static str,
        i: u32,
        _: &'static str,
        value: &T,
    ) -> Result<(), Never> {
        self.uint(i.into());
        value.serialize(self)
    }
    fn serialize_seq(mut self, len: Option<usize>) -> Result<Self, Never> {
        // Every sequence in a trace event knows its length; an unknown one would not be
        // self-delimiting, so it is refused.
        let len = len.ok_or(Never)?;
        self.uint(len as u64);
        Ok(self)
    }
    fn serialize_tuple(self, _: usize) -> Result<Self, Never> {
        Ok(self)
    }
    fn serialize_tuple_struct(self, _: &'static str, _: usize) -> Result<Self, Never> {
        Ok(self)
    }
    fn serialize_tuple_variant(
        mut self,
        _: &'static str,
        i: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self, Never> {
        self.uint(i.into());
        Ok(self)
    }
    fn serialize_map(mut self, len: Option<usize>) -> Result<Self, Never> {
        let len = len.ok_or(Never)?;
        self.uint(len as u64);
        Ok(self)
    }
    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Self, Never> {
        Ok(self)
    }
    fn serialize_struct_variant(
        self,
        name: &'static str,
        i: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<Self, Never> {
        // The same bytes as a tuple variant: the index, then the fields in order.
        self.serialize_tuple_variant(name, i, variant, len)
    }
}

/// Fields, items and map entries: each written in turn with the same sink.
macro_rules! compound {
    ($trait:ident, $method:ident $(, $key:ident)?) => {
        impl<S: Sink> ser::$trait for Encoder<'_, S> {
            type Ok = ();
            type Error = Never;
            fn $method<T: ?Sized + Serialize>(
                &mut self,
                $($key: &'static str,)?
                value: &T,
            ) -> Result<(), Never> {
                $(let _ = $key;)?
                value.serialize(self.reborrow())
            }
            fn end(self) -> Result<(), Never> {
                Ok(())
            }
        }
    };
}

compound!(SerializeSeq, serialize_element);
compound!(SerializeTuple, serialize_element);
compound!(SerializeTupleStruct, serialize_field);
compound!(SerializeTupleVariant, serialize_field);
compound!(SerializeStruct, serialize_field, key);
compound!(SerializeStructVariant, serialize_field, key);

impl<S: Sink> ser::SerializeMap for Encoder<'_, S> {
    type Ok = ();
    type Error = Never;
    fn serialize_key<T: ?Sized + Serialize>(&mut self, key: &T) -> Result<(), Never> {
        key.serialize(self.reborrow())
    }
    fn serialize_value<T: ?Sized + Serialize>(&mut self, value: &T) -> Result<(), Never> {
        value.serialize(self.reborrow())
    }
    fn end(self) -> Result<(), Never> {
        Ok(())
    }
}
