"""The back office's document form: Wagtail's own, with the platform's upload check
(``stedennet.web.uploads.check_upload``) on every new file, in the single and the multiple
uploader alike. Wired through ``WAGTAILDOCS_DOCUMENT_FORM_BASE`` in the settings."""

from django.core.files.uploadedfile import UploadedFile
from wagtail.documents.forms import BaseDocumentForm

from stedennet.web.uploads import check_upload


class CheckedDocumentForm(BaseDocumentForm):
    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if isinstance(upload, UploadedFile):  # a new file; an unchanged one was checked before
            check_upload(upload)  # UploadRefused is a ValidationError: it lands on the field with its code
        return upload
