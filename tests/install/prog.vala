/* prog.vala — the installed codestare-1.vapi: a reader waits for the next write */

int main ()
{
  var loop = new MainLoop ();
  var accessor = new Cs.Accessor (typeof (string));
  string? received = null;

  accessor.get_async.begin (null, Cs.GetFlags.NONE, null, (obj, res) => {
    try
      {
        received = accessor.get_async.end (res).get_string ();
      }
    catch (Error e)
      {
        printerr ("get_async: %s\n", e.message);
      }
    loop.quit ();
  });

  try
    {
      accessor.set ("Bar", Cs.SetFlags.NONE);
    }
  catch (Error e)
    {
      printerr ("set: %s\n", e.message);
      return 1;
    }

  Timeout.add_seconds (10, () => {
    printerr ("timed out\n");
    loop.quit ();
    return Source.REMOVE;
  });
  loop.run ();

  print ("%s\n", received ?? "(nothing)");
  return received == "Bar" ? 0 : 1;
}
