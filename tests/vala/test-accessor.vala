/* test-accessor.vala — Cs through the generated codestare-1.vapi
 *
 * Copyright 2026 The codestare authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Each test is an async method driven by one MainLoop; the results are TAP.
 */

/* A plain GObject property, for Cs.object_get_accessor (). */
class Counter : Object
{
  public int count { get; set; }
}

/* The seed's Thing: a value whose setter refuses what is not truthy. */
class Thing : Object
{
  int stored;

  public int get_value ()
  {
    return stored;
  }

  public void set_value (int value) throws IOError
  {
    if (value == 0)
      throw new IOError.INVALID_ARGUMENT ("Illegal value %d", value);
    stored = value;
  }
}

/* Writes @value into @accessor from an idle, once the caller has yielded. */
void set_later (Cs.Accessor accessor, Value value)
{
  Idle.add (() => {
    try
      {
        accessor.set (value, Cs.SetFlags.NONE);
      }
    catch (Error e)
      {
        critical ("set: %s", e.message);
      }
    return Source.REMOVE;
  });
}

Value int_value (int i)
{
  var value = Value (typeof (int));
  value.set_int (i);
  return value;
}

Value string_value (string s)
{
  var value = Value (typeof (string));
  value.set_string (s);
  return value;
}

class Tests : Object
{
  int n_run = 0;
  public int n_failed = 0;

  void check (bool passed, string name, string? diagnostic = null)
  {
    n_run++;
    if (passed)
      {
        print ("ok %d - %s\n", n_run, name);
      }
    else
      {
        n_failed++;
        print ("not ok %d - %s\n", n_run, name);
        if (diagnostic != null)
          print ("# %s\n", diagnostic);
      }
  }

  /* The seed's first example: a reader waits for the next write. */
  async void test_default_read ()
  {
    var accessor = new Cs.Accessor (typeof (string));
    set_later (accessor, string_value ("Bar"));
    try
      {
        Value? value = yield accessor.get_async (null, Cs.GetFlags.NONE, null);
        check (value != null && value.get_string () == "Bar" && accessor.get_generation () == 1,
               "default read returns the next write");
      }
    catch (Error e)
      {
        check (false, "default read returns the next write", e.message);
      }
  }

  /* The reader gets exactly the first value that passed its predicate. */
  async void test_predicate ()
  {
    var accessor = new Cs.Accessor (typeof (int));
    var seen = new GenericArray<int> ();
    var at_least_three = new Cs.Predicate ((v) => {
      seen.add (v.get_int ());
      return v.get_int () >= 3;
    });

    Idle.add (() => {
      try
        {
          for (int i = 1; i <= 5; i++)
            accessor.set (int_value (i), Cs.SetFlags.NONE);
        }
      catch (Error e)
        {
          critical ("set: %s", e.message);
        }
      return Source.REMOVE;
    });

    try
      {
        Value? value = yield accessor.get_async (at_least_three, Cs.GetFlags.NONE, null);
        check (value != null && value.get_int () == 3, "predicate read returns exactly 3",
               value == null ? "null" : "got %d".printf (value.get_int ()));
        /* the current value (0) first, then every write up to the match */
        var expected = new int[] { 0, 1, 2, 3 };
        bool same = seen.length == expected.length;
        for (int i = 0; same && i < expected.length; i++)
          same = seen[i] == expected[i];
        check (same, "the predicate saw 0, 1, 2, 3 in order", "saw %u values".printf (seen.length));
        check (accessor.get_n_waiting_reads () == 0 && !accessor.has_waiting_read,
               "no reader counted after completion");
      }
    catch (Error e)
      {
        check (false, "predicate read returns exactly 3", e.message);
      }
  }

  /* A predicate that throws fails its own read with its error, unchanged
   * (API.md, CsPredicate; Semantics 13); another reader gets the value. */
  async void test_predicate_throws ()
  {
    var accessor = new Cs.Accessor (typeof (int));
    var unlucky = new Cs.Predicate ((v) => {
      if (v.get_int () == 13)
        throw new IOError.NOT_SUPPORTED ("unlucky %d", v.get_int ());
      return v.get_int () >= 20;
    });
    Value? other = null;

    accessor.get_async.begin (null, Cs.GetFlags.NONE, null, (obj, res) => {
      try
        {
          other = accessor.get_async.end (res);
        }
      catch (Error e)
        {
          critical ("other reader: %s", e.message);
        }
    });
    set_later (accessor, int_value (13));

    try
      {
        yield accessor.get_async (unlucky, Cs.GetFlags.NONE, null);
        check (false, "a predicate that throws fails its read", "no error");
      }
    catch (IOError.NOT_SUPPORTED e)
      {
        check (e.message == "unlucky 13", "a predicate that throws fails its read",
               "message: " + e.message);
      }
    catch (Error e)
      {
        check (false, "a predicate that throws fails its read", e.message);
      }

    /* the other reader's callback comes from the same batch */
    Idle.add (test_predicate_throws.callback);
    yield;
    check (other != null && other.get_int () == 13 && accessor.get_generation () == 1,
           "the other reader gets the value");
  }

  /* The seed's BetterThing, with two lambdas: the writer's error reaches
   * yield set_async with its message (API.md, Semantics 13). */
  async void test_better_thing ()
  {
    var thing = new Thing ();
    var accessor = new Cs.Accessor.with_funcs (typeof (int), "value", null,
      (out v) => {
        v = Value (typeof (int));
        v.set_int (thing.get_value ());
      },
      (v) => {
        thing.set_value (v.get_int ());
        return true;
      });

    try
      {
        yield accessor.set_async (int_value (3), Cs.SetFlags.NONE, null);
        check (thing.get_value () == 3 && accessor.value.get_int () == 3,
               "BetterThing: set_async (3) stores 3");
      }
    catch (Error e)
      {
        check (false, "BetterThing: set_async (3) stores 3", e.message);
      }

    try
      {
        yield accessor.set_async (int_value (0), Cs.SetFlags.NONE, null);
        check (false, "BetterThing: set_async (0) fails with the writer's error", "no error");
      }
    catch (IOError.INVALID_ARGUMENT e)
      {
        check (e.message == "Illegal value 0" && thing.get_value () == 3 &&
               accessor.get_generation () == 1,
               "BetterThing: set_async (0) fails with the writer's error",
               "message: " + e.message);
      }
    catch (Error e)
      {
        check (false, "BetterThing: set_async (0) fails with the writer's error", e.message);
      }
  }

  /* WAIT_FOR_WRITE ignores a current value that already matches. */
  async void test_wait_for_write ()
  {
    var accessor = new Cs.Accessor (typeof (int));
    var at_least_five = new Cs.Predicate ((v) => v.get_int () >= 5);

    try
      {
        accessor.set (int_value (10), Cs.SetFlags.NONE);

        Value? now = yield accessor.get_async (at_least_five, Cs.GetFlags.NONE, null);
        check (now != null && now.get_int () == 10, "a matching current value completes at once");

        bool writes_done = false;
        Idle.add (() => {
          try
            {
              accessor.set (int_value (2), Cs.SetFlags.NONE);
              accessor.set (int_value (7), Cs.SetFlags.NONE);
              accessor.set (int_value (9), Cs.SetFlags.NONE);
            }
          catch (Error e)
            {
              critical ("set: %s", e.message);
            }
          writes_done = true;
          return Source.REMOVE;
        });
        Value? next = yield accessor.get_async (at_least_five, Cs.GetFlags.WAIT_FOR_WRITE, null);
        check (next != null && next.get_int () == 7, "WAIT_FOR_WRITE returns the next match, 7",
               next == null ? "null" : "got %d".printf (next.get_int ()));

        /* the reader may complete from inside the write of 7: let the writer finish */
        while (!writes_done)
          {
            Idle.add (test_wait_for_write.callback);
            yield;
          }

        Value? current = yield accessor.get_async (null, Cs.GetFlags.NO_WAIT_FOR_WRITE, null);
        check (current != null && current.get_int () == 9 && accessor.get_generation () == 4,
               "NO_WAIT_FOR_WRITE returns the current value, 9",
               "got %s, generation %llu".printf (current == null ? "null" : current.get_int ().to_string (),
                                                 accessor.get_generation ()));
      }
    catch (Error e)
      {
        check (false, "WAIT_FOR_WRITE", e.message);
      }

    try
      {
        yield accessor.get_async (null, Cs.GetFlags.WAIT_FOR_WRITE | Cs.GetFlags.NO_WAIT_FOR_WRITE, null);
        check (false, "both wait flags fail with INVALID_ARGUMENT", "no error");
      }
    catch (IOError.INVALID_ARGUMENT e)
      {
        check (true, "both wait flags fail with INVALID_ARGUMENT");
      }
    catch (Error e)
      {
        check (false, "both wait flags fail with INVALID_ARGUMENT", e.message);
      }
  }

  /* A string into an int accessor is rejected and changes nothing. */
  async void test_invalid_value ()
  {
    var accessor = new Cs.Accessor (typeof (int));

    try
      {
        accessor.set (int_value (4), Cs.SetFlags.NONE);
        yield accessor.set_async (string_value ("four"), Cs.SetFlags.NONE, null);
        check (false, "a string into an int accessor fails with INVALID_VALUE", "no error");
      }
    catch (Cs.AccessorError.INVALID_VALUE e)
      {
        check (accessor.dup_value ().get_int () == 4 && accessor.get_generation () == 1,
               "a string into an int accessor fails with INVALID_VALUE");
      }
    catch (Error e)
      {
        check (false, "a string into an int accessor fails with INVALID_VALUE", e.message);
      }
  }

  /* WAIT_FOR_READ: the write is a handoff to a reader. */
  async void test_handoff ()
  {
    var accessor = new Cs.Accessor (typeof (string));
    bool written = false;
    string? received = null;

    accessor.set_async.begin (string_value ("parcel"), Cs.SetFlags.WAIT_FOR_READ, null, (obj, res) => {
      try
        {
          written = accessor.set_async.end (res);
        }
      catch (Error e)
        {
          critical ("set_async: %s", e.message);
        }
    });

    try
      {
        /* nothing reads yet, so nothing is applied */
        check (!written && accessor.get_generation () == 0 && accessor.dup_value ().get_string () == null,
               "a WAIT_FOR_READ write waits for a reader");

        accessor.wait_for_read_async.begin (null, (obj, res) => {
          try
            {
              accessor.wait_for_read_async.end (res);
            }
          catch (Error e)
            {
              critical ("wait_for_read_async: %s", e.message);
            }
        });

        Value? value = yield accessor.get_async (null, Cs.GetFlags.NONE, null);
        received = value.get_string ();
        /* let the writer's completion run */
        while (!written)
          {
            Idle.add (test_handoff.callback);
            yield;
          }
        check (received == "parcel" && written && accessor.get_generation () == 1,
               "the reader receives the handed-off value", "received %s".printf (received ?? "(null)"));
      }
    catch (Error e)
      {
        check (false, "the reader receives the handed-off value", e.message);
      }
  }

  /* Cancelling a read fails it with CANCELLED and uncounts it. */
  async void test_cancel ()
  {
    var accessor = new Cs.Accessor (typeof (int));
    var cancellable = new Cancellable ();

    Idle.add (() => {
      check (accessor.get_n_waiting_reads () == 1, "a pending read is counted");
      cancellable.cancel ();
      return Source.REMOVE;
    });

    try
      {
        yield accessor.get_async (null, Cs.GetFlags.NONE, cancellable);
        check (false, "a cancelled read fails with CANCELLED", "no error");
      }
    catch (IOError.CANCELLED e)
      {
        check (accessor.get_n_waiting_reads () == 0, "a cancelled read fails with CANCELLED");
      }
    catch (Error e)
      {
        check (false, "a cancelled read fails with CANCELLED", e.message);
      }
  }

  /* Closing fails pending and later operations with CLOSED. */
  async void test_close ()
  {
    var accessor = new Cs.Accessor (typeof (int));

    Idle.add (() => {
      accessor.close ();
      return Source.REMOVE;
    });

    try
      {
        yield accessor.get_async (null, Cs.GetFlags.NONE, null);
        check (false, "a pending read fails with CLOSED", "no error");
      }
    catch (Cs.AccessorError.CLOSED e)
      {
        check (accessor.is_closed () && accessor.closed, "a pending read fails with CLOSED");
      }
    catch (Error e)
      {
        check (false, "a pending read fails with CLOSED", e.message);
      }

    try
      {
        yield accessor.set_async (int_value (1), Cs.SetFlags.NONE, null);
        check (false, "a later write fails with CLOSED", "no error");
      }
    catch (Cs.AccessorError.CLOSED e)
      {
        check (e.domain == Cs.AccessorError.quark () && accessor.get_generation () == 0,
               "a later write fails with CLOSED");
      }
    catch (Error e)
      {
        check (false, "a later write fails with CLOSED", e.message);
      }
  }

  /* Built-in predicates and the cached accessor of a plain property. */
  async void test_property ()
  {
    var counter = new Counter ();
    unowned Cs.Accessor accessor = Cs.object_get_accessor (counter, "count");

    check (accessor != null && Cs.object_get_accessor (counter, "count") == accessor &&
           accessor.value_type == typeof (int),
           "object_get_accessor caches one int accessor per property");

    Idle.add (() => {
      counter.count = 1;
      counter.count = 2;
      counter.count = 3;
      return Source.REMOVE;
    });

    try
      {
        var two = new Cs.Predicate.equal (int_value (2));
        check (two.evaluate (int_value (2)) && !two.evaluate (int_value (3)),
               "Predicate.equal evaluates by value");
        Value? value = yield accessor.get_async (two, Cs.GetFlags.NONE, null);
        check (value != null && value.get_int () == 2,
               "a plain property write wakes an equal-predicate reader with 2",
               value == null ? "null" : "got %d".printf (value.get_int ()));
      }
    catch (Error e)
      {
        check (false, "a plain property write wakes an equal-predicate reader with 2", e.message);
      }
  }

  public async void run ()
  {
    yield test_default_read ();
    yield test_predicate ();
    yield test_predicate_throws ();
    yield test_better_thing ();
    yield test_wait_for_write ();
    yield test_invalid_value ();
    yield test_handoff ();
    yield test_cancel ();
    yield test_close ();
    yield test_property ();
    print ("1..%d\n", n_run);
  }
}

int main (string[] args)
{
  var loop = new MainLoop ();
  var tests = new Tests ();
  bool finished = false;

  /* a reader that never completes fails the run rather than hanging it */
  Timeout.add_seconds (30, () => {
    print ("Bail out! timed out\n");
    loop.quit ();
    return Source.REMOVE;
  });

  tests.run.begin ((obj, res) => {
    tests.run.end (res);
    finished = true;
    loop.quit ();
  });
  loop.run ();

  return finished && tests.n_failed == 0 ? 0 : 1;
}
