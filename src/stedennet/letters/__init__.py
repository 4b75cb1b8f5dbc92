"""The member letter ("ledenbrief"): numbered letters to the colleges and councils of every
member and to subscribers, composed from what happened since the previous one, sent through the
mass mailing of ``stedennet.mail``, archived on the public site. Modules:

- ``models`` and ``constants``: letters and their numbers, distribution addresses, subscribers;
  statuses with their transition tables;
- ``compose``: one function per source (board decisions, work-programme progress, lobby results,
  library items, coming events) and the draft's rich text;
- ``rendering``: the mail (text and table-based HTML with inline styles) and the web page;
- ``services``: numbering, editing, the test send, sending, withdrawing, bounces, subscribing;
- ``selectors``: the archive, the recipients and the plan before sending, the progress;
- ``views``/``feeds``: ``/ledenbrieven/`` (archive, letter, Atom feed, subscribe, unsubscribe);
- ``wagtail_hooks``/``admin_views``: the back office (menu "Member letters");
- ``demo``: ``load_demo_letters()``, distribution lists of the members and a sent letter, all demo.
"""
