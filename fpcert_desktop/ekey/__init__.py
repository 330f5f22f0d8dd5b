"""USB e-key access through PKCS#11: module lookup, PIN login, certificate, signing, removal.

Every token call runs on the one thread of :class:`fpcert_desktop.ekey.worker.EKeyWorker`,
because python-pkcs11 initialises a module without locking callbacks and so the module
assumes one caller at a time.
"""
